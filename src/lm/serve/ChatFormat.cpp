//===- ChatFormat.cpp - Llama 2's chat format, both ways ------------------===//
#include "lm/serve/ChatFormat.h"

#include "lm/serve/ApiError.h"

#include "llvm/ADT/Twine.h"

using namespace llvm;

namespace optlm::lm {

namespace {

constexpr StringLiteral kInst = "[INST] ";
constexpr StringLiteral kEndInst = " [/INST]";
constexpr StringLiteral kSys = "<<SYS>>\n";
constexpr StringLiteral kEndSys = "\n<</SYS>>\n\n";

std::string roleParam(size_t index) { return "messages[" + std::to_string(index) + "].role"; }

} // namespace

StringRef chatRoleName(ChatRole role) {
  switch (role) {
  case ChatRole::System:
    return "system";
  case ChatRole::User:
    return "user";
  case ChatRole::Assistant:
    return "assistant";
  }
  return "user";
}

std::optional<ChatRole> chatRoleFromName(StringRef name) {
  for (ChatRole role : {ChatRole::System, ChatRole::User, ChatRole::Assistant})
    if (chatRoleName(role) == name)
      return role;
  return std::nullopt;
}

Error applyLlama2ChatFormat(ArrayRef<ChatMessage> messages, GenerationRequest &request) {
  if (messages.empty())
    return invalidRequest("'messages' must not be empty", "messages");
  size_t first = messages.front().role == ChatRole::System ? 1 : 0;
  if (first == messages.size())
    return invalidRequest("'messages' holds only a system message; the model needs a user "
                          "message to answer",
                          "messages");
  for (size_t i = first; i < messages.size(); ++i) {
    ChatRole expected = (i - first) % 2 == 0 ? ChatRole::User : ChatRole::Assistant;
    ChatRole role = messages[i].role;
    if (role == expected)
      continue;
    std::string param = roleParam(i);
    if (role == ChatRole::System)
      return invalidRequest("'" + param +
                                "' is \"system\": only the first message may be the "
                                "system message",
                            param);
    return invalidRequest("'" + param + "' is \"" + chatRoleName(role) + "\" where \"" +
                              chatRoleName(expected) +
                              "\" was expected: after an optional system message, roles "
                              "alternate user, assistant, user, ...",
                          param);
  }
  if (messages.back().role != ChatRole::User)
    return invalidRequest("the last message must be the user's, for the model to answer",
                          roleParam(messages.size() - 1));

  request.precedingSequences.clear();
  for (size_t i = first; i < messages.size(); i += 2) {
    std::string user = messages[i].content;
    if (i == first && first == 1)
      user = kSys.str() + messages.front().content + kEndSys.str() + user;
    std::string text = kInst.str() + StringRef(user).trim().str() + kEndInst.str();
    if (i + 1 == messages.size()) {
      request.prompt = std::move(text);
      break;
    }
    text += " " + StringRef(messages[i + 1].content).trim().str() + " ";
    request.precedingSequences.push_back(std::move(text));
  }
  return Error::success();
}

std::optional<std::vector<ChatMessage>> readLlama2Chat(const GenerationRequest &request) {
  std::vector<ChatMessage> messages;
  // A user's content, with the system message taken out of the first one.
  auto addUser = [&](StringRef content) {
    if (messages.empty() && content.starts_with(kSys)) {
      size_t systemEnd = content.find(kEndSys);
      if (systemEnd != StringRef::npos) {
        messages.push_back({ChatRole::System, content.slice(kSys.size(), systemEnd).str()});
        content = content.drop_front(systemEnd + kEndSys.size());
      }
    }
    messages.push_back({ChatRole::User, content.str()});
  };
  // "[INST] {user} [/INST] {assistant} ", cut at the first " [/INST]".
  for (const std::string &sequence : request.precedingSequences) {
    StringRef text = sequence;
    if (!text.consume_front(kInst))
      return std::nullopt;
    size_t end = text.find(kEndInst);
    if (end == StringRef::npos)
      return std::nullopt;
    addUser(text.take_front(end));
    text = text.drop_front(end + kEndInst.size());
    if (!text.consume_front(" ") || !text.consume_back(" "))
      return std::nullopt;
    messages.push_back({ChatRole::Assistant, text.str()});
  }
  // "[INST] {user} [/INST]", the user's content whatever it holds.
  StringRef text = request.prompt;
  if (!text.consume_front(kInst) || !text.consume_back(kEndInst))
    return std::nullopt;
  addUser(text);

  // Reading is lenient (an exchange whose user content holds " [/INST]" is
  // cut short, and whitespace the format strips is kept): only a
  // conversation that renders back to exactly the same text is the prompt's.
  GenerationRequest rendered;
  if (Error error = applyLlama2ChatFormat(messages, rendered)) {
    consumeError(std::move(error));
    return std::nullopt;
  }
  if (rendered.prompt != request.prompt ||
      rendered.precedingSequences != request.precedingSequences)
    return std::nullopt;
  return messages;
}

ChatTemplateKind classifyChatTemplate(StringRef jinja) {
  if (jinja.trim().empty())
    return ChatTemplateKind::None;
  if (jinja.contains("[INST]") && jinja.contains("[/INST]"))
    return ChatTemplateKind::Llama2;
  return ChatTemplateKind::Other;
}

std::string describeChatFormat(ChatTemplateKind kind) {
  switch (kind) {
  case ChatTemplateKind::None:
    return "chat format: Llama 2 ([INST] ... [/INST]); the model has no chat template";
  case ChatTemplateKind::Llama2:
    return "chat format: Llama 2 ([INST] ... [/INST]), as the model's chat template";
  case ChatTemplateKind::Other:
    return "chat format: Llama 2 ([INST] ... [/INST]); the model's chat template is another "
           "format, which optlm does not interpret";
  }
  return "";
}

} // namespace optlm::lm

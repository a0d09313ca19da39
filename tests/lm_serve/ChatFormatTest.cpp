//===- ChatFormatTest.cpp - Llama 2's chat format, both ways --------------===//
#include "lm/serve/ChatFormat.h"
#include "lm/serve/ApiError.h"

#include "ServeTestSupport.h"
#include "TinyModel.h"

using namespace optlm::lm;

namespace {

std::vector<ChatMessage> conversation(std::initializer_list<std::pair<ChatRole, const char *>> m) {
  std::vector<ChatMessage> messages;
  for (auto [role, content] : m)
    messages.push_back({role, content});
  return messages;
}

constexpr ChatRole System = ChatRole::System, User = ChatRole::User,
                   Assistant = ChatRole::Assistant;

TEST(ServeChatFormat, RendersLikeLlama2sReferenceCode) {
  GenerationRequest request;
  ASSERT_NO_ERROR(
      applyLlama2ChatFormat(conversation({{User, "  Tell me\n\n<code>x</code>\n"}}), request));
  EXPECT_EQ(request.prompt, "[INST] Tell me\n\n<code>x</code> [/INST]");
  EXPECT_TRUE(request.precedingSequences.empty());

  ASSERT_NO_ERROR(applyLlama2ChatFormat(conversation({{System, "Be brief."},
                                                      {User, "q1"},
                                                      {Assistant, " a1\n"},
                                                      {User, "q2"},
                                                      {Assistant, ""},
                                                      {User, "q3 "}}),
                                        request));
  EXPECT_EQ(request.precedingSequences,
            (std::vector<std::string>{"[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nq1 [/INST] a1 ",
                                      "[INST] q2 [/INST]  "}));
  EXPECT_EQ(request.prompt, "[INST] q3 [/INST]");
}

TEST(ServeChatFormat, RefusesOrdersLlama2CannotSayNamingTheMessage) {
  struct Case {
    std::vector<ChatMessage> messages;
    const char *param;
    const char *messagePart;
  };
  const Case cases[] = {
      {{}, "messages", "must not be empty"},
      {conversation({{System, "s"}}), "messages", "only a system message"},
      {conversation({{Assistant, "a"}, {User, "u"}}), "messages[0].role", "\"user\" was expected"},
      {conversation({{User, "u"}, {User, "u"}}), "messages[1].role", "alternate"},
      {conversation({{User, "u"}, {System, "s"}, {User, "u"}}), "messages[1].role",
       "only the first message"},
      {conversation({{System, "s"}, {User, "u"}, {Assistant, "a"}}), "messages[2].role",
       "last message must be the user's"},
  };
  for (const Case &c : cases) {
    GenerationRequest request;
    std::string param, message;
    llvm::handleAllErrors(applyLlama2ChatFormat(c.messages, request), [&](const ApiError &e) {
      EXPECT_EQ(e.status(), 400);
      param = e.param();
      message = e.message();
    });
    EXPECT_EQ(param, c.param) << message;
    EXPECT_NE(message.find(c.messagePart), std::string::npos) << message;
  }
}

TEST(ServeChatFormat, ReadsBackExactlyWhatItRenders) {
  // LLM Compiler's own prompt (src/data/Prompts.cpp) is one user message.
  GenerationRequest plain;
  plain.prompt = "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>"
                 "define i32 @f() {\n  ret i32 0\n}\n</code> [/INST]";
  auto messages = readLlama2Chat(plain);
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ(*messages, conversation({{User, "Tell me how to optimize this LLVM-IR for object file "
                                            "size:\n\n<code>define i32 @f() {\n  ret i32 0\n}\n"
                                            "</code>"}}));

  auto talk = conversation({{System, "sys"},
                            {User, "q1"},
                            {Assistant, "a1"},
                            {User, "q2"},
                            {Assistant, ""},
                            {User, "q3"}});
  GenerationRequest rendered;
  ASSERT_NO_ERROR(applyLlama2ChatFormat(talk, rendered));
  messages = readLlama2Chat(rendered);
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ(*messages, talk);

  // Prompts not in the format, or not as it would write them, are not read.
  for (const char *prompt : {"hello", "[INST] x", "[INST] x [/INST] more", "[INST]  x [/INST]",
                             "[INST] x  [/INST]", " [INST] x [/INST]", "[INST] [/INST]"}) {
    GenerationRequest request;
    request.prompt = prompt;
    EXPECT_FALSE(readLlama2Chat(request).has_value()) << prompt;
  }
  GenerationRequest quoting;
  quoting.prompt = "[INST] a [/INST] b [/INST]";
  messages = readLlama2Chat(quoting);
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ(*messages, conversation({{User, "a [/INST] b"}}));

  GenerationRequest badSequence;
  badSequence.prompt = "[INST] q [/INST]";
  badSequence.precedingSequences = {"[INST] q [/INST] a"}; // no space before EOS
  EXPECT_FALSE(readLlama2Chat(badSequence).has_value());
}

TEST(ServeChatFormat, ClassifiesModelTemplates) {
  EXPECT_EQ(classifyChatTemplate(""), ChatTemplateKind::None);
  EXPECT_EQ(classifyChatTemplate(test::kLlama2ChatTemplate), ChatTemplateKind::Llama2);
  const char *chatML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                       "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";
  EXPECT_EQ(classifyChatTemplate(chatML), ChatTemplateKind::Other);
  EXPECT_NE(describeChatFormat(ChatTemplateKind::Other).find("does not interpret"),
            std::string::npos);
}

} // namespace

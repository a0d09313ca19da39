//===- ChatFormat.h - Llama 2's chat format, both ways --------------*- C++ -*-===//
//
// A chat request is a conversation; the model reads one prompt. Llama 2's
// chat format (Code Llama's and LLM Compiler's) turns the one into the
// other, as Meta's reference code and Hugging Face's chat template do:
//
//   <s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user 1} [/INST] {assistant 1} </s>
//   <s>[INST] {user 2} [/INST]
//
// with every user and assistant content stripped of surrounding whitespace.
// <s> and </s> are the BOS and EOS tokens, not text: the finished exchanges
// become GenerationRequest::precedingSequences, the open one its prompt.
//
// The server renders conversations so (applyLlama2ChatFormat); the client,
// talking to a server that only offers chat, reads a prompt already in this
// format back into the conversation that renders to it (readLlama2Chat).
// General Jinja templates are not interpreted: classifyChatTemplate only
// tells whether a model's tokenizer.chat_template is Llama 2's.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace optlm::lm {

enum class ChatRole { System, User, Assistant };

/// "system", "user", "assistant": OpenAI's names.
llvm::StringRef chatRoleName(ChatRole role);
std::optional<ChatRole> chatRoleFromName(llvm::StringRef name);

struct ChatMessage {
  ChatRole role = ChatRole::User;
  std::string content;

  bool operator==(const ChatMessage &other) const {
    return role == other.role && content == other.content;
  }
};

/// Sets request.prompt and request.precedingSequences to the conversation
/// in Llama 2's format. The conversation is an optional system message,
/// then user and assistant messages alternating, starting and ending with
/// the user. Other orders are ApiErrors (400) naming the message at fault
/// ("messages[2].role").
llvm::Error applyLlama2ChatFormat(llvm::ArrayRef<ChatMessage> messages, GenerationRequest &request);

/// The conversation that applyLlama2ChatFormat renders to exactly the
/// request's prompt and preceding sequences, or nullopt when they are not in
/// Llama 2's format (or differ from it in whitespace it would strip).
std::optional<std::vector<ChatMessage>> readLlama2Chat(const GenerationRequest &request);

/// What a model's tokenizer.chat_template says about its format.
enum class ChatTemplateKind {
  /// The model has no template.
  None,
  /// A Llama 2 style template: it holds both "[INST]" and "[/INST]".
  Llama2,
  /// Another format (ChatML, Llama 3, ...), which optlm does not render.
  Other,
};

ChatTemplateKind classifyChatTemplate(llvm::StringRef jinja);

/// One line for the server's log: the format used and why.
std::string describeChatFormat(ChatTemplateKind kind);

} // namespace optlm::lm

//===- TinyModel.h - the server tests' tiny model ----------------*- C++ -*-===//
#pragma once

#include "support/TinyModel.h"

namespace optlm::lm::test {

/// Context of the tiny model, in tokens: small, so that "prompt longer than
/// the context" is easy to reach.
inline constexpr int kTinyContext = 256;

/// Llama 2's chat template as Hugging Face ships it (Llama-2-chat, Code
/// Llama Instruct), the tiny model's tokenizer.chat_template.
inline constexpr const char *kLlama2ChatTemplate =
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system_message = messages[0]['content'] %}{% else %}"
    "{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
    "{% for message in loop_messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{% endif %}{% if loop.index0 == 0 and system_message != false %}"
    "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + "
    "message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}"
    "{% endif %}{% endfor %}";

inline const std::string &tinyModelPath() {
  static const std::string path = optlm::testsupport::writeTemporaryTinyModel(
      {{"instcombine", "simplifycfg", "gvn", "mem2reg", "sroa", ",", "[INST]", "[/INST]", "<code>",
        "</code>", " the", " of"},
       64,
       2,
       4,
       2,
       128,
       kTinyContext,
       7,
       "tiny-serve-llama",
       kLlama2ChatTemplate});
  return path;
}

} // namespace optlm::lm::test

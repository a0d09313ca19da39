//===- Url.h - server addresses for the completion client ----------*- C++ -*-===//
//
// The client takes the address of an OpenAI-compatible server as a URL such
// as http://127.0.0.1:8080 or https://host/prefix/v1. Parsing is strict so
// that a typo is reported before any connection is tried, rather than turning
// into a confusing connection error or a request to the wrong path.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::lm {

struct ServerUrl {
  /// "http" or "https".
  std::string scheme;
  /// Host name or address; an IPv6 address without its brackets.
  std::string host;
  int port = 0;
  /// Path prefix under which the OpenAI routes live, without a trailing
  /// slash: "" for http://h:p, "/api" for http://h:p/api. A trailing "/v1",
  /// "/v1/completions" or "/v1/chat/completions" is taken off, since users
  /// paste any of them.
  std::string basePath;

  bool isHttps() const { return scheme == "https"; }
  /// "host:port" with IPv6 brackets, for messages.
  std::string authority() const;
  /// The whole URL back, normalised, for messages; it reads back to the
  /// same address.
  std::string str() const;
};

/// Parses an http:// or https:// URL. Rejects other schemes, user
/// information, queries, fragments, empty hosts and ports outside 1..65535.
llvm::Expected<ServerUrl> parseServerUrl(llvm::StringRef text);

/// True when this build's HTTP library can speak TLS.
bool httpsSupported();

} // namespace optlm::lm

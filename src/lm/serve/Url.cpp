//===- Url.cpp - server addresses for the completion client ---------------===//
#include "lm/serve/Url.h"

#include "lm/serve/ApiError.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace optlm::lm {

bool httpsSupported() {
  // The macro comes from cpp-httplib's pkg-config flags: it says whether the
  // library was built with OpenSSL, which is what decides if TLS works.
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  return true;
#else
  return false;
#endif
}

std::string ServerUrl::authority() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerUrl::str() const {
  // Reading a URL takes a trailing /v1, /v1/completions or
  // /v1/chat/completions off; a prefix that itself ends so keeps it only
  // behind the routes' own /v1.
  StringRef prefix = basePath;
  bool endsLikeARoute = prefix.ends_with("/v1") || prefix.ends_with("/v1/completions") ||
                        prefix.ends_with("/v1/chat/completions");
  return scheme + "://" + authority() + basePath + (endsLikeARoute ? "/v1" : "");
}

static Error urlError(StringRef text, const Twine &why) {
  // `why` may quote a part of the text.
  return createStringError(std::errc::invalid_argument, "invalid server URL '%s': %s",
                           oneLineExcerpt(text, 200).c_str(),
                           oneLineExcerpt(why.str(), 200).c_str());
}

Expected<ServerUrl> parseServerUrl(StringRef text) {
  ServerUrl url;
  StringRef rest = text.trim();
  size_t schemeEnd = rest.find("://");
  if (schemeEnd == StringRef::npos)
    return urlError(text, "expected http://HOST[:PORT][/PATH]");
  url.scheme = rest.take_front(schemeEnd).lower();
  rest = rest.drop_front(schemeEnd + 3);
  if (url.scheme != "http" && url.scheme != "https")
    return urlError(text, "scheme must be http or https, not '" + url.scheme + "'");
  if (url.isHttps() && !httpsSupported())
    return urlError(text, "https is not available: cpp-httplib was built without OpenSSL");
  if (rest.find_first_of("?#") != StringRef::npos)
    return urlError(text, "queries and fragments are not allowed");

  size_t pathStart = rest.find('/');
  StringRef authority = rest.take_front(pathStart);
  StringRef path = pathStart == StringRef::npos ? StringRef() : rest.drop_front(pathStart);
  if (authority.contains('@'))
    return urlError(text, "user information is not allowed (use an API key option)");

  StringRef portText;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == StringRef::npos)
      return urlError(text, "unterminated '[' in IPv6 address");
    url.host = authority.slice(1, close).str();
    StringRef after = authority.drop_front(close + 1);
    if (!after.empty()) {
      if (!after.consume_front(":"))
        return urlError(text, "unexpected text after the IPv6 address");
      portText = after;
      if (portText.empty())
        return urlError(text, "empty port");
    }
  } else {
    auto [hostPart, portPart] = authority.split(':');
    url.host = hostPart.str();
    portText = portPart;
    if (authority.contains(':') && portText.empty())
      return urlError(text, "empty port");
  }
  if (url.host.empty())
    return urlError(text, "missing host");
  for (char c : url.host)
    if (!(isAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%'))
      return urlError(text, "invalid character in host name");

  if (portText.empty()) {
    url.port = url.isHttps() ? 443 : 80;
  } else {
    unsigned port = 0;
    if (portText.getAsInteger(10, port) || port == 0 || port > 65535)
      return urlError(text, "port must be a number from 1 to 65535");
    url.port = static_cast<int>(port);
  }

  // The routes are appended by the client, so keep only the prefix.
  while (path.ends_with("/"))
    path = path.drop_back();
  if (path.ends_with("/v1/completions"))
    path = path.drop_back(strlen("/v1/completions"));
  else if (path.ends_with("/v1/chat/completions"))
    path = path.drop_back(strlen("/v1/chat/completions"));
  else if (path.ends_with("/v1"))
    path = path.drop_back(strlen("/v1"));
  while (path.ends_with("/"))
    path = path.drop_back();
  for (char c : path)
    if (c <= ' ' || c == 0x7f)
      return urlError(text, "control or space character in the path");
  url.basePath = path.str();
  return url;
}

} // namespace optlm::lm

//===- UrlTest.cpp - parsing server URLs ----------------------------------===//
#include "lm/serve/Url.h"

#include "ServeTestSupport.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace optlm::lm;

namespace {

ServerUrl parsed(llvm::StringRef text) {
  llvm::Expected<ServerUrl> url = parseServerUrl(text);
  EXPECT_TRUE(static_cast<bool>(url)) << text.str();
  if (!url) {
    llvm::consumeError(url.takeError());
    return {};
  }
  return *url;
}

std::string errorOf(llvm::StringRef text) {
  llvm::Expected<ServerUrl> url = parseServerUrl(text);
  if (url)
    return "";
  return llvm::toString(url.takeError());
}

TEST(ServeUrl, HostPortAndPrefix) {
  ServerUrl url = parsed("http://127.0.0.1:8080");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.basePath, "");

  url = parsed("http://gpu-box.local/api/");
  EXPECT_EQ(url.host, "gpu-box.local");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.basePath, "/api");
}

TEST(ServeUrl, PastedEndpointPathsAreReducedToThePrefix) {
  EXPECT_EQ(parsed("http://h:1/v1").basePath, "");
  EXPECT_EQ(parsed("http://h:1/v1/").basePath, "");
  EXPECT_EQ(parsed("http://h:1/v1/completions").basePath, "");
  EXPECT_EQ(parsed("http://h:1/x/v1/completions").basePath, "/x");
  EXPECT_EQ(parsed("http://h:1/v1/chat/completions").basePath, "");
  EXPECT_EQ(parsed("http://h:1/x/v1/chat/completions/").basePath, "/x");
}

TEST(ServeUrl, PrintsAUrlThatReadsBackToTheSameAddress) {
  for (const char *text : {"http://h:1/v1/v1", "http://h:1/v1/completions/v1", "http://h:1/x",
                           "http://h:1/v1/chat/completions/v1/chat/completions",
                           "https://[::1]:2/a/v1/completions/v1/completions"}) {
    if (llvm::StringRef(text).starts_with("https") && !httpsSupported())
      continue;
    ServerUrl url = parsed(text);
    ServerUrl again = parsed(url.str());
    EXPECT_EQ(again.basePath, url.basePath) << text << " printed as " << url.str();
    EXPECT_EQ(again.authority(), url.authority()) << text;
  }
  EXPECT_EQ(parsed("http://h:1/v1/v1").basePath, "/v1");
  EXPECT_EQ(parsed("http://h:1/x/v1").str(), "http://h:1/x");
}

TEST(ServeUrl, Ipv6InBrackets) {
  ServerUrl url = parsed("http://[::1]:9000/");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 9000);
  EXPECT_EQ(url.authority(), "[::1]:9000");
}

TEST(ServeUrl, HttpsFollowsTheLibraryBuild) {
  llvm::Expected<ServerUrl> url = parseServerUrl("https://example.org");
  if (httpsSupported()) {
    OPTLM_ASSERT_OK(url);
    EXPECT_EQ(url->port, 443);
  } else {
    EXPECT_NE(test::errorText(url).find("OpenSSL"), std::string::npos);
  }
}

TEST(ServeUrl, RejectsWhatItCannotUse) {
  EXPECT_NE(errorOf("127.0.0.1:8080").find("expected http://"), std::string::npos);
  EXPECT_NE(errorOf("ftp://h/").find("scheme must be http"), std::string::npos);
  EXPECT_NE(errorOf("http://:80").find("missing host"), std::string::npos);
  EXPECT_NE(errorOf("http://h:0").find("port"), std::string::npos);
  EXPECT_NE(errorOf("http://h:65536").find("port"), std::string::npos);
  EXPECT_NE(errorOf("http://h:80x").find("port"), std::string::npos);
  // What was typed is quoted on one line.
  EXPECT_EQ(errorOf("ht\ntp://h/").find('\n'), std::string::npos);
  EXPECT_NE(errorOf("ht\ntp://h/").find("'ht tp'"), std::string::npos) << errorOf("ht\ntp://h/");
  EXPECT_NE(errorOf("http://h:").find("empty port"), std::string::npos);
  EXPECT_NE(errorOf("http://user:pw@h/").find("user information"), std::string::npos);
  EXPECT_NE(errorOf("http://h/?q=1").find("queries"), std::string::npos);
  EXPECT_NE(errorOf("http://[::1/").find("unterminated"), std::string::npos);
  EXPECT_NE(errorOf("http://h h/").find("invalid character"), std::string::npos);
  EXPECT_NE(errorOf("").find("expected http://"), std::string::npos);
}

} // namespace

//===- RemoteTlsTest.cpp - the client over https ---------------------------===//
//
// Debian's cpp-httplib is built with OpenSSL, so the client speaks https.
// These tests run a real TLS server on 127.0.0.1 with a certificate made on
// the spot: untrusted, it must be refused with a clear error (and no
// retries, since trying again cannot help); trusted through caCertFile, the
// completion must come through.
//
//===----------------------------------------------------------------------===//
#include "lm/serve/RemoteGenerator.h"

#include "ServeTestSupport.h"
#include "testing/Testing.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"

#include <httplib.h>

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
#include <openssl/pem.h>
#include <openssl/x509.h>
#endif

#include <atomic>
#include <cstdio>
#include <thread>

using namespace optlm::lm;
using namespace optlm::lm::test;

namespace {

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT

/// A self-signed certificate for 127.0.0.1 and its key.
struct SelfSigned {
  EVP_PKEY *key = nullptr;
  X509 *certificate = nullptr;

  SelfSigned() {
    // An elliptic-curve key: made in microseconds, where RSA takes a second.
    key = EVP_EC_gen("prime256v1");
    certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
  }
  ~SelfSigned() {
    X509_free(certificate);
    EVP_PKEY_free(key);
  }

  /// Writes the certificate as PEM to path.
  bool writeCertificate(const std::string &path) const {
    FILE *file = std::fopen(path.c_str(), "w");
    if (!file)
      return false;
    bool written = PEM_write_X509(file, certificate) == 1;
    std::fclose(file);
    return written;
  }
};

class TlsServer {
public:
  explicit TlsServer(const SelfSigned &identity) : TheServer(identity.certificate, identity.key) {
    TheServer.set_pre_routing_handler([this](const httplib::Request &, httplib::Response &) {
      ++requests;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    TheServer.Post("/v1/completions", [](const httplib::Request &, httplib::Response &res) {
      res.set_content(R"({"choices":[{"text":"secure","index":0,"finish_reason":"stop"}]})",
                      "application/json");
    });
    Port = TheServer.bind_to_any_port("127.0.0.1");
    Thread = std::thread([this] { TheServer.listen_after_bind(); });
    for (int i = 0; i < 1000 && !TheServer.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~TlsServer() {
    TheServer.stop();
    Thread.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(Port); }
  std::atomic<int> requests{0};

private:
  httplib::SSLServer TheServer;
  int Port = 0;
  std::thread Thread;
};

RemoteOptions tlsOptions(const std::string &url) {
  RemoteOptions options;
  options.url = url;
  options.model = "m";
  options.maxAttempts = 3;
  options.initialBackoff = std::chrono::milliseconds(10);
  options.readTimeout = std::chrono::milliseconds(10000);
  return options;
}

GenerationRequest anyRequest() {
  GenerationRequest request;
  request.prompt = "p";
  request.maxTokens = 2;
  return request;
}

TEST(ServeRemoteTls, UntrustedCertificateIsRefusedWithoutRetries) {
  ASSERT_TRUE(httpsSupported());
  SelfSigned identity;
  TlsServer server(identity);
  auto generator = RemoteGenerator::create(tlsOptions(server.url()));
  OPTLM_ASSERT_OK(generator);
  std::string message = errorText((*generator)->generate(anyRequest()));
  EXPECT_NE(message.find("TLS certificate was not accepted"), std::string::npos) << message;
  EXPECT_EQ(server.requests, 0);
}

TEST(ServeRemoteTls, TrustedCertificateWorks) {
  SelfSigned identity;
  TlsServer server(identity);
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-serve-ca", "pem", path));
  llvm::FileRemover remover(path);
  ASSERT_TRUE(identity.writeCertificate(path.str().str()));
  RemoteOptions options = tlsOptions(server.url());
  options.caCertFile = path.str().str();
  auto generator = RemoteGenerator::create(options);
  OPTLM_ASSERT_OK(generator);
  auto result = (*generator)->generate(anyRequest());
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->text, "secure");
  EXPECT_EQ(server.requests, 1);
}

TEST(ServeRemoteTls, MissingCaFileIsAnOptionError) {
  RemoteOptions options = tlsOptions("https://127.0.0.1:1");
  options.caCertFile = "/nonexistent/ca.pem";
  auto generator = RemoteGenerator::create(options);
  EXPECT_NE(errorText(generator).find("does not exist"), std::string::npos);
}

#else

TEST(ServeRemoteTls, HttpsIsAClearErrorWithoutOpenSsl) {
  RemoteOptions options;
  options.url = "https://127.0.0.1:1";
  auto generator = RemoteGenerator::create(options);
  EXPECT_NE(errorText(generator).find("OpenSSL"), std::string::npos);
}

#endif

} // namespace

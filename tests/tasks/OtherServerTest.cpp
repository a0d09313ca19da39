//===- OtherServerTest.cpp - a server without optlm's constraint ----------===//
//
// vLLM or llama.cpp's server do not know optlm's pass-list constraint: they
// answer the first (constrained) request as if the extension were not
// there. ModelSource must notice, ask again without it, and the tuner must
// read the free-text answer. The server here is a real HTTP server that
// speaks the OpenAI completions API the way such servers do, with a fixed
// answer in place of a model.
//
//===----------------------------------------------------------------------===//
#include "tasks/FlagTuner.h"

#include "engine/Evaluator.h"
#include "testing/Testing.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

using namespace optlm;
using namespace optlm::tasks;
using nlohmann::json;

namespace {

class PlainCompletionServer {
public:
  explicit PlainCompletionServer(std::string answer) : Answer(std::move(answer)) {
    TheServer.Get("/v1/models", [](const httplib::Request &, httplib::Response &response) {
      json models = {
          {"object", "list"},
          {"data",
           json::array({{{"id", "other-llm"}, {"object", "model"}, {"max_model_len", 16384}}})}};
      response.set_content(models.dump(), "application/json");
    });
    TheServer.Post("/v1/completions", [this](const httplib::Request &request,
                                             httplib::Response &response) {
      {
        std::lock_guard<std::mutex> lock(Mutex);
        Requests.push_back(json::parse(request.body, nullptr, false));
      }
      json reply = {
          {"id", "cmpl-1"},
          {"object", "text_completion"},
          {"model", "other-llm"},
          {"choices", json::array({{{"index", 0}, {"text", Answer}, {"finish_reason", "stop"}}})},
          {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 5}}}};
      response.set_content(reply.dump(), "application/json");
    });
    Port = TheServer.bind_to_any_port("127.0.0.1");
    // The socket is bound and listening already: requests queue until the
    // thread accepts them.
    Thread = std::thread([this] { TheServer.listen_after_bind(); });
  }
  ~PlainCompletionServer() {
    TheServer.stop();
    Thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(Port); }
  std::vector<json> requests() {
    std::lock_guard<std::mutex> lock(Mutex);
    return Requests;
  }

private:
  std::string Answer;
  httplib::Server TheServer;
  int Port = 0;
  std::thread Thread;
  std::mutex Mutex;
  std::vector<json> Requests;
};

TEST(TasksOtherServer, FreeTextAnswersWithoutTheConstraint) {
  PlainCompletionServer server("Use opt -p 'function(sroa,instcombine,simplifycfg)' here.");
  ModelSourceOptions sourceOptions;
  sourceOptions.serverUrl = server.url();
  auto model = ModelSource::open(sourceOptions);
  OPTLM_ASSERT_OK(model);
  EXPECT_EQ((*model)->modelName(), "other-llm");
  EXPECT_EQ((*model)->contextLength(), 16384);

  auto input =
      loadModuleFor(std::string(OPTLM_TEST_INPUTS) + "/tasks/suite/maxof.ll", Target::X86_64);
  ASSERT_TRUE(bool(input));
  FlagTuneOptions options;
  options.candidates = 2;
  options.jobs = 2;
  auto result = tuneWithModel(*input->module, **model, options);
  OPTLM_ASSERT_OK(result);
  EXPECT_FALSE(result->constraintApplied);
  EXPECT_FALSE((*model)->constraintSupported());
  EXPECT_TRUE(result->modelWon) << result->explanation;
  EXPECT_EQ(result->pipeline,
            llvm::cantFail(Pipeline::parse("sroa,instcombine,simplifycfg")).text());

  // One constrained request, noticed, then only plain ones.
  std::vector<json> requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].contains("optlm"));
  EXPECT_FALSE(requests[1].contains("optlm"));
  EXPECT_FALSE(requests[2].contains("optlm"));
  EXPECT_EQ(requests[1]["prompt"].get<std::string>().rfind(
                "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>", 0),
            0u);
}

} // namespace

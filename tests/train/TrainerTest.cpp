//===- TrainerTest.cpp - training runs: resume, refusal, tokenizer, export -===//
#include "TrainTestSupport.h"

#include "train/Export.h"
#include "train/Trainer.h"

#include "lm/generate/Tokenizer.h"
#include "lm/model/Model.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdlib>

extern char **environ;

using namespace optlm;
using namespace optlm::train;
using namespace optlm::train::testing;
using ::testing::HasSubstr;

namespace {

LmTrainOptions tinyRun(const std::string &data) {
  LmTrainOptions options;
  options.trainFiles = {data};
  options.tokenizerPath = byteVocabularyModel();
  options.shape = tinyShape();
  options.steps = 12;
  options.batchSize = 4;
  options.learningRate = 3e-3f;
  options.warmupSteps = 3;
  options.checkpointEvery = 4;
  options.evalEvery = 4;
  options.seed = 11;
  options.threads = 1;
  return options;
}

std::string additionData(int records) {
  std::string file = optlm::testing::folderUntilExit().file("train.jsonl");
  writeLines(file, additionRecords(records));
  return file;
}

TrainedLanguageModel trainOk(const LmTrainOptions &options) {
  auto trained = trainLanguageModel(options);
  EXPECT_TRUE(static_cast<bool>(trained)) << llvm::toString(trained.takeError());
  return trained ? std::move(*trained) : TrainedLanguageModel{};
}

/// Runs a training in a child process that SIGKILLs itself at the first
/// hook call with (event, step); expects it to die that way. The child is a
/// fresh run of this test program (ChildProcessTrainKilled below), not a plain
/// fork: after a fork, libgomp's thread pool is gone and a multi-threaded
/// run would hang. The child gets this process's environment: OpenBLAS
/// picks its kernels from it (OPENBLAS_CORETYPE), and other kernels round
/// differently.
void trainAndKill(const LmTrainOptions &options, llvm::StringRef event, int64_t step) {
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  std::vector<llvm::StringRef> argv = {self, "--gtest_filter=ChildProcessTrainKilled.Run"};
  std::string kill = (event + ":" + llvm::Twine(step)).str();
  std::vector<std::string> environment = {
      "OPTLM_TRAIN_CHILD_DATA=" + options.trainFiles.front(),
      "OPTLM_TRAIN_CHILD_CHECKPOINTS=" + options.checkpointDirectory,
      "OPTLM_TRAIN_CHILD_THREADS=" + std::to_string(options.threads),
      "OPTLM_TRAIN_CHILD_KILL=" + kill};
  for (char **variable = environ; *variable; ++variable)
    environment.push_back(*variable);
  std::vector<llvm::StringRef> env(environment.begin(), environment.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(self, argv, env, {}, 0, 0, &message);
  // ExecuteAndWait reports a child killed by a signal as -2 with the
  // signal's description.
  EXPECT_EQ(status, -2) << message;
  EXPECT_THAT(message, HasSubstr("Killed"));
}

// The child of trainAndKill: tinyRun with the checkpoint folder and thread
// count it was given, killing itself at the named event. Skipped when run
// as a test of its own.
TEST(ChildProcessTrainKilled, Run) {
  const char *data = std::getenv("OPTLM_TRAIN_CHILD_DATA");
  if (!data)
    GTEST_SKIP() << "run by trainAndKill only";
  LmTrainOptions options = tinyRun(data);
  options.validFiles = {data};
  options.checkpointDirectory = std::getenv("OPTLM_TRAIN_CHILD_CHECKPOINTS");
  options.threads = std::atoi(std::getenv("OPTLM_TRAIN_CHILD_THREADS"));
  auto [event, step] = llvm::StringRef(std::getenv("OPTLM_TRAIN_CHILD_KILL")).split(':');
  options.hook = [event = event.str(), step = std::stoll(step.str())](llvm::StringRef at,
                                                                      int64_t atStep) {
    if (at == event && atStep == step)
      raise(SIGKILL);
  };
  auto trained = trainLanguageModel(options);
  FAIL() << "not killed: "
         << (trained ? std::string("the run finished") : llvm::toString(trained.takeError()));
}

// A run killed twice (between checkpoints, and while a checkpoint was being
// written) and resumed ends with the weights of a run never stopped, bit for
// bit; with one thread and with two.
class TrainTrainerThreads : public ::testing::TestWithParam<int> {};

TEST_P(TrainTrainerThreads, KilledRunsResumeToTheSameWeights) {
  std::string data = additionData(10);
  LmTrainOptions options = tinyRun(data);
  options.threads = GetParam();
  options.validFiles = {data};
  TrainedLanguageModel uninterrupted = trainOk(options);
  ASSERT_TRUE(uninterrupted.network);
  EXPECT_EQ(uninterrupted.report.steps, 12);
  EXPECT_EQ(uninterrupted.report.resumedFromStep, 0);
  EXPECT_FALSE(std::isnan(uninterrupted.report.validLoss));
  auto initial = LlamaNetwork::create(uninterrupted.network->shape(), options.seed);
  ASSERT_TRUE(static_cast<bool>(initial));
  EXPECT_FALSE(sameWeights(**initial, *uninterrupted.network)) << "training changed nothing";

  optlm::testing::TemporaryFolder checkpoints;
  options.checkpointDirectory = checkpoints.path();
  trainAndKill(options, "step", 6);             // after the checkpoint of step 4
  trainAndKill(options, "checkpoint-files", 8); // step 8's files written, not committed
  EXPECT_TRUE(llvm::sys::fs::exists(options.checkpointDirectory + "/.partial-step-00000008"));
  std::string progress;
  llvm::raw_string_ostream out(progress);
  options.progress = &out;
  TrainedLanguageModel resumed = trainOk(options);
  ASSERT_TRUE(resumed.network);
  EXPECT_EQ(resumed.report.resumedFromStep, 4);
  EXPECT_THAT(progress, HasSubstr("resuming from"));
  EXPECT_THAT(progress, ::testing::Not(HasSubstr("warning")));
  EXPECT_THAT(progress, HasSubstr("step 12/12"));
  EXPECT_TRUE(sameWeights(*uninterrupted.network, *resumed.network));
  EXPECT_EQ(resumed.network->steps(), 12);
  // Two checkpoints are kept, the last one is the end of the run.
  EXPECT_TRUE(llvm::sys::fs::exists(options.checkpointDirectory + "/step-00000012"));
  EXPECT_TRUE(llvm::sys::fs::exists(options.checkpointDirectory + "/step-00000008"));
  EXPECT_FALSE(llvm::sys::fs::exists(options.checkpointDirectory + "/step-00000004"));

  // A finished run resumes to itself.
  TrainedLanguageModel again = trainOk(options);
  ASSERT_TRUE(again.network);
  EXPECT_EQ(again.report.resumedFromStep, 12);
  EXPECT_TRUE(sameWeights(*uninterrupted.network, *again.network));
}

INSTANTIATE_TEST_SUITE_P(TrainTrainer, TrainTrainerThreads, ::testing::Values(1, 2));

// A run stopped by its time limit is the first steps of the whole run:
// it checkpoints where it stops, and the same command without the limit
// goes on to the weights of a run never limited.
TEST(TrainTrainer, TimeLimitStopsAtAStepAndTheRunResumesToItsEnd) {
  std::string data = additionData(10);
  LmTrainOptions options = tinyRun(data);
  options.validFiles = {data};
  TrainedLanguageModel whole = trainOk(options);
  ASSERT_TRUE(whole.network);
  EXPECT_FALSE(whole.report.stoppedByTimeLimit);

  optlm::testing::TemporaryFolder checkpoints;
  options.checkpointDirectory = checkpoints.path();
  options.timeLimitSeconds = 1e-9; // passed once the data is loaded: one step
  std::string progress;
  llvm::raw_string_ostream out(progress);
  options.progress = &out;
  TrainedLanguageModel limited = trainOk(options);
  ASSERT_TRUE(limited.network);
  EXPECT_TRUE(limited.report.stoppedByTimeLimit);
  EXPECT_EQ(limited.report.steps, 1);
  EXPECT_FALSE(std::isnan(limited.report.validLoss));
  EXPECT_THAT(progress, HasSubstr("stops the run at step 1 of 12"));
  EXPECT_TRUE(llvm::sys::fs::exists(options.checkpointDirectory + "/step-00000001"));
  EXPECT_FALSE(sameWeights(*whole.network, *limited.network));

  options.timeLimitSeconds = 0;
  TrainedLanguageModel resumed = trainOk(options);
  ASSERT_TRUE(resumed.network);
  EXPECT_EQ(resumed.report.resumedFromStep, 1);
  EXPECT_EQ(resumed.report.steps, 12);
  EXPECT_FALSE(resumed.report.stoppedByTimeLimit);
  EXPECT_TRUE(sameWeights(*whole.network, *resumed.network));
}

TEST(TrainTrainer, RefusesToResumeWithOtherParameters) {
  LmTrainOptions options = tinyRun(additionData(6));
  options.steps = 2;
  optlm::testing::TemporaryFolder checkpoints;
  options.checkpointDirectory = checkpoints.path();
  trainOk(options);
  // Other threads: allowed, with a warning that the last bits may differ.
  std::string progress;
  llvm::raw_string_ostream out(progress);
  options.progress = &out;
  options.threads = 2;
  trainOk(options);
  EXPECT_THAT(progress, HasSubstr("warning: "));
  EXPECT_THAT(progress, HasSubstr("2 threads: the result will differ"));
  // Length-grouped batches change the data order: another run.
  options.lengthWindows = 2;
  auto grouped = trainLanguageModel(options);
  ASSERT_FALSE(static_cast<bool>(grouped));
  EXPECT_THAT(llvm::toString(grouped.takeError()), HasSubstr("length_windows = nothing, not 2"));
  optlm::testing::TemporaryFolder groupedCheckpoints; // and the other way round
  options.checkpointDirectory = groupedCheckpoints.path();
  trainOk(options);
  options.lengthWindows = 0;
  auto plain = trainLanguageModel(options);
  ASSERT_FALSE(static_cast<bool>(plain));
  EXPECT_THAT(llvm::toString(plain.takeError()), HasSubstr("length_windows = 2, not nothing"));
  options.checkpointDirectory = checkpoints.path();
  options.learningRate = 1e-2f;
  auto other = trainLanguageModel(options);
  ASSERT_FALSE(static_cast<bool>(other));
  EXPECT_THAT(llvm::toString(other.takeError()), HasSubstr("learning_rate"));
}

TEST(TrainTrainer, BadRecordsAreReportedNotFatal) {
  optlm::testing::TemporaryFolder scratch;
  std::string file = scratch.file("train.jsonl");
  std::vector<std::string> lines = additionRecords(4);
  lines.push_back("{\"prompt\": \"truncated");
  lines.push_back(R"({"prompt": ")" + std::string(200, 'p') + R"(", "label": "x"})");
  writeLines(file, lines);
  LmTrainOptions options = tinyRun(file);
  options.steps = 2;
  std::string progress;
  llvm::raw_string_ostream out(progress);
  options.progress = &out;
  TrainedLanguageModel trained = trainOk(options);
  EXPECT_EQ(trained.report.train.examples, 4);
  EXPECT_EQ(trained.report.train.malformed, 1);
  EXPECT_EQ(trained.report.train.tooLong, 1);
  EXPECT_THAT(progress, HasSubstr("1 malformed, 1 longer than the context skipped"));

  writeLines(file, {"garbage"});
  auto nothing = trainLanguageModel(options);
  ASSERT_FALSE(static_cast<bool>(nothing));
  EXPECT_THAT(llvm::toString(nothing.takeError()), HasSubstr("no usable training examples"));
}

// No tokenizer given: SentencePiece learns one from the records; it goes
// into the GGUF, where optlm's tokenizer reads it back, and the exported
// model computes the network's logits. The model learns the task.
TEST(TrainTrainer, OwnTokenizerAndExportedModel) {
  LmTrainOptions options = tinyRun(additionData(100));
  options.tokenizerPath.clear();
  options.vocabSize = 300;
  options.steps = 60;
  options.learningRate = 1e-2f;
  options.warmupSteps = 5;
  options.batchSize = 8;
  std::string progress;
  llvm::raw_string_ostream out(progress);
  options.progress = &out;
  TrainedLanguageModel trained = trainOk(options);
  ASSERT_TRUE(trained.network);
  std::printf("%s", progress.c_str());
  const lm::SentencePieceVocabulary &vocabulary = trained.vocabulary;
  EXPECT_GT(vocabulary.size(), 259); // merges beyond the special and byte pieces
  EXPECT_LE(vocabulary.size(), 300);
  EXPECT_NE(std::find(vocabulary.pieces.begin(), vocabulary.pieces.end(),
                      "\xE2\x96\x81"
                      "add"),
            vocabulary.pieces.end());
  EXPECT_EQ(vocabulary.pieces[vocabulary.bosId], "<s>");
  // The label tokens are what the loss is on: the loss fell well below a
  // uniform guess.
  EXPECT_LT(trained.report.trainLoss, 0.3 * std::log(double(vocabulary.size())));

  optlm::testing::TemporaryFolder scratch;
  std::string path = scratch.file("model.gguf");
  llvm::Error error = exportGGUF(*trained.network, vocabulary, path);
  ASSERT_FALSE(static_cast<bool>(error)) << llvm::toString(std::move(error));
  auto model = lm::Model::load(path);
  OPTLM_ASSERT_OK(model);
  auto fromFile = lm::Tokenizer::fromGGUF((*model)->file());
  OPTLM_ASSERT_OK(fromFile);
  auto fromTraining = lm::Tokenizer::create(vocabulary);
  ASSERT_TRUE(static_cast<bool>(fromTraining));
  std::string prompt = "[INST] add 7 and 4 [/INST]";
  std::vector<int32_t> tokens = fromFile->encode(prompt, true);
  EXPECT_EQ(tokens, fromTraining->encode(prompt, true));
  EXPECT_EQ(fromFile->decode(tokens), prompt);
  EXPECT_LT(tokens.size(), prompt.size()); // merged pieces, not bytes

  auto expected = trained.network->logits(tokens);
  ASSERT_TRUE(static_cast<bool>(expected));
  lm::InferenceSession session(**model, 0, 1);
  auto logits = session.evaluate(tokens);
  ASSERT_TRUE(static_cast<bool>(logits));
  size_t vocab = vocabulary.size();
  double rms = relativeRms(*logits, llvm::ArrayRef<float>(*expected).take_back(vocab));
  EXPECT_LT(rms, 5e-3);
  // What the model answers, greedily (printed; too small a run to require 11).
  std::vector<int32_t> answer;
  for (int i = 0; i < 4; ++i) {
    int32_t best =
        static_cast<int32_t>(std::max_element(logits->begin(), logits->end()) - logits->begin());
    if (best == fromFile->eosId())
      break;
    answer.push_back(best);
    logits = session.evaluate({best});
    ASSERT_TRUE(static_cast<bool>(logits));
  }
  std::printf("[ measured ] answer to '%s': '%s'\n", prompt.c_str(),
              fromFile->decode(answer).c_str());
}

} // namespace

# lit configuration of optlm's command-line tests (see CMakeLists.txt).
import os

import lit.formats

config.name = "optlm"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)

site = lit_config.params.get("site")
if not site:
    lit_config.fatal("run through ctest, or pass --param=site=BUILD/tests/lit/lit.site.cfg.py")
site_values = {}
exec(open(site).read(), site_values)
config.test_exec_root = os.path.join(site_values["binary_dir"], "tests", "lit")

config.substitutions.append(("%optlm", site_values["optlm_tool"]))
if site_values.get("have_train") == "1":
    config.available_features.add("train")
config.substitutions.append(("%inputs", site_values["test_inputs"]))
config.substitutions.append(("%examples", site_values["examples"]))
config.substitutions.append(("FileCheck", site_values["filecheck"]))
config.substitutions.append(("%not", os.path.join(site_values["llvm_tools_dir"], "not")))
config.substitutions.append(("%llvm-size", os.path.join(site_values["llvm_tools_dir"], "llvm-size")))
config.substitutions.append(("%llc", os.path.join(site_values["llvm_tools_dir"], "llc")))
config.substitutions.append(("%clang", os.path.join(site_values["llvm_tools_dir"], "clang")))
config.substitutions.append(("%llvm-dis", os.path.join(site_values["llvm_tools_dir"], "llvm-dis")))
# %make-tiny-model -o FILE [shape options]: writes a random-weight Llama model
# (tests/testing/TinyModelTool.cpp).
config.substitutions.append(("%make-tiny-model", site_values["tiny_model_tool"]))
config.substitutions.append(("%cmake", site_values["cmake"]))
# The flag-model benchmark, where the build made the benchmarks
# (OPTLM_BUILD_BENCH): its --compare reads files, measures nothing.
if os.path.exists(site_values["bench_flagmodel_tool"]):
    config.available_features.add("bench")
    config.substitutions.append(("%bench-flagmodel", site_values["bench_flagmodel_tool"]))
# mpirun, where the build found MPI (optlm datagen under MPI).
if site_values.get("mpiexec"):
    config.available_features.add("mpi")
    config.substitutions.append(("%mpiexec", site_values["mpiexec"]))
# %usage-error COMMAND: exit status 2, empty stdout, one line on stderr, which
# it prints for FileCheck (see usage-error.sh).
config.substitutions.append(("%usage-error", "sh " + os.path.join(config.test_source_root, "usage-error.sh")))
# Never the user's results store or model folder; tests that must not see
# each other's results pass --store %t... themselves.
config.environment["OPTLM_STORE"] = os.path.join(config.test_exec_root, "store.sqlite")
config.environment["HOME"] = config.test_exec_root
config.environment.pop("OPTLM_MODEL_DIR", None)

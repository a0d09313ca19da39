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
# Never the user's results store or model folder; tests that must not see
# each other's results pass --store %t... themselves.
config.environment["OPTLM_STORE"] = os.path.join(config.test_exec_root, "store.sqlite")
config.environment["HOME"] = config.test_exec_root
config.environment.pop("OPTLM_MODEL_DIR", None)

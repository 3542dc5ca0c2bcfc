// waddington._core: the libraries from Python (the package python/waddington
// wraps it). Library exceptions become Python ones: InputError -> ValueError
// with the CLI's one-line message, EnvironmentError -> OSError.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "lib/errors.hpp"
#include "lib/read_warnings.hpp"
#include "lib/version.hpp"
#include "python/common.hpp"
#include "python/keywords.hpp"

namespace waddington::python {

void warn_read_problems() {
  for (const auto& w : take_read_warnings())
    if (PyErr_WarnEx(PyExc_UserWarning, w.c_str(), 1) != 0) throw py::error_already_set();  // warnings as errors
}

py::object to_python(const nlohmann::json& j) {
  // Not a static py::object: it would be released after the interpreter is finalized.
  return py::module_::import("json").attr("loads")(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void check_signals() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

std::shared_ptr<py::object> hold(py::object object) {
  return std::shared_ptr<py::object>(new py::object(std::move(object)), [](py::object* o) {
    py::gil_scoped_acquire gil;
    delete o;
  });
}

std::function<void(int, int)> progress_hook(py::object progress) {
  return [held = hold(std::move(progress))](int done, int total) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!held->is_none()) (*held)(done, total);
  };
}

}  // namespace waddington::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace waddington::python;
  m.doc() = "The waddington libraries from Python (use the package `waddington`).";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const waddington::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const waddington::EnvironmentError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const waddington::Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
  m.attr("__version__") = waddington::kVersion;
  m.attr("git_revision") = waddington::kGitRevision;
  m.def("_keywords", &keyword_table, py::arg("function"),
        "(keyword, CLI option) of every keyword of a function (python/keywords.cpp)");
  register_reduced(m);
  register_training(m);
  register_engine(m);
}

#pragma once
// What every binding file shares: columns of a row table as numpy arrays,
// JSON as Python objects, and the hooks that let a long call run without the
// GIL while Ctrl-C and a Python progress callback still work.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace waddington::python {

namespace py = pybind11;

// One numeric column of a row table (a copy: the rows are structs).
template <class T, class Rows, class Get>
py::array_t<T> column(const Rows& rows, Get get) {
  py::array_t<T> out(py::ssize_t(rows.size()));
  auto a = out.template mutable_unchecked<1>();
  py::ssize_t i = 0;
  for (const auto& r : rows) a(i++) = T(get(r));
  return out;
}
// One text column (a list of str).
template <class Rows, class Get>
py::list text_column(const Rows& rows, Get get) {
  py::list out;
  for (const auto& r : rows) out.append(py::str(std::string(get(r))));
  return out;
}

// nlohmann::json -> dict/list/float/... (through Python's json module; NaN stays NaN).
py::object to_python(const nlohmann::json& j);

// Issues each input-file warning noted since the last call (lib/read_warnings.hpp,
// e.g. bytes after an .npy array) as a Python UserWarning, as the CLI prints them.
// Call with the GIL held, after a call that read files.
void warn_read_problems();

// A library progress hook for a call that runs with the GIL released: every
// report takes the GIL, raises KeyboardInterrupt on Ctrl-C (PyErr_CheckSignals)
// by throwing py::error_already_set through the library (which lets it pass,
// its hooks run on the calling thread), and calls `progress(done, total)`
// when it is not None.
std::function<void(int, int)> progress_hook(py::object progress);

// A Python object that library code may copy and destroy without the GIL
// (the shared_ptr is copied; the object is released with the GIL taken).
std::shared_ptr<py::object> hold(py::object object);

// Raises KeyboardInterrupt now if Ctrl-C was pressed (takes the GIL).
void check_signals();

// Registration of each file's functions and classes.
void register_reduced(py::module_& m);
void register_training(py::module_& m);
void register_engine(py::module_& m);

}  // namespace waddington::python

// train() and analyze(): the full network from Python. Images come in as a
// numpy array (rows = samples; or a file path, as the CLI's --images) with
// labels as an integer array (or "blocks:K" / a label file); the run is
// lib/training_run.hpp's run_training, so a Python run and a CLI run with the
// same options are the same computation. The memories and labels come back as
// numpy views of the result's Eigen matrices (no copy).
#include <fmt/format.h>
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <Eigen/Core>
#include <memory>

#include "lib/csv_columns.hpp"
#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/formats.hpp"
#include "lib/memory_analysis.hpp"
#include "lib/training_run.hpp"
#include "python/common.hpp"
#include "python/keywords.hpp"

namespace waddington::python {

namespace {

struct TrainingResult {
  TrainingRunSummary summary;
  int num_classes = 10;
};

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// An S x N array of images (float64 as given; other dtypes are converted).
Eigen::MatrixXd image_matrix(const py::handle& images) {
  auto a = py::array_t<double, py::array::forcecast>::ensure(images);
  if (!a) throw InputError("images: expected a 2-D numpy array (rows = samples) or a file name");
  if (a.ndim() == 3 && a.shape(0) == 1) a = a.reshape({a.shape(1), a.shape(2)});
  else if (a.ndim() == 3) a = a.reshape({a.shape(0), a.shape(1) * a.shape(2)});
  if (a.ndim() != 2) throw InputError(fmt::format("images: expected a 2-D array (samples x pixels), got {} dimensions", a.ndim()));
  Eigen::MatrixXd m(a.shape(0), a.shape(1));
  auto v = a.unchecked<2>();
  for (py::ssize_t i = 0; i < a.shape(0); ++i)
    for (py::ssize_t j = 0; j < a.shape(1); ++j) m(i, j) = v(i, j);
  return m;
}

std::vector<int> label_vector(const py::handle& labels, Eigen::Index rows) {
  if (py::isinstance<py::str>(labels)) return load_labels(py::cast<std::string>(labels), rows);
  auto a = py::array_t<long, py::array::forcecast>::ensure(labels);
  if (!a || a.ndim() != 1) throw InputError("labels: expected a 1-D integer array, \"blocks:K\" or a label file");
  std::vector<int> out(a.shape(0));
  for (py::ssize_t i = 0; i < a.shape(0); ++i) out[i] = int(a.at(i));
  return out;
}

void bind_training(py::module_& m) {
  py::class_<TrainingResult, std::shared_ptr<TrainingResult>>(m, "Training",
      "A training run of the full network (lib/training_run.hpp): final state, per-epoch metrics.")
      .def("__repr__", [](const TrainingResult& r) { return "<Training: " + r.summary.BriefReport() + ">"; })
      .def_property_readonly("memories", [](const TrainingResult& r) -> const Eigen::MatrixXd& { return r.summary.state.memories; },
                             py::return_value_policy::reference_internal, "K x N memories (a view, no copy)")
      .def_property_readonly("labels", [](const TrainingResult& r) -> const Eigen::MatrixXd& { return r.summary.state.labels; },
                             py::return_value_policy::reference_internal, "K x C labels (a view, no copy)")
      .def("columns", [](const TrainingResult& r) {
            const auto& h = r.summary.training.history;
            py::dict d;
            d["epoch"] = column<int>(h, [](const auto& x) { return x.epoch; });
            d["cost"] = column<double>(h, [](const auto& x) { return x.cost; });
            d["accuracy"] = column<double>(h, [](const auto& x) { return x.accuracy; });
            d["test_accuracy"] = column<double>(h, [](const auto& x) { return x.test_accuracy; });
            for (int c = 0; c < r.num_classes; ++c)
              d[py::str(fmt::format("correct_{}", c))] = column<int>(h, [c](const auto& x) { return x.correct_per_class.at(c); });
            for (int c = 0; c < r.num_classes; ++c)
              d[py::str(fmt::format("memories_{}", c))] = column<int>(h, [c](const auto& x) { return x.memories_per_class.at(c); });
            for (int c = 0; c < r.num_classes; ++c)
              d[py::str(fmt::format("predicted_{}", c))] = column<int>(h, [c](const auto& x) { return x.predicted_per_class.at(c); });
            return d;
          }, "metrics.csv as a dict of numpy arrays (full precision)")
      .def_property_readonly("parameters", [](const TrainingResult& r) { return to_python(r.summary.parameters); })
      .def_property_readonly("termination", [](const TrainingResult& r) { return ToString(r.summary.termination); })
      .def_property_readonly("complete", [](const TrainingResult& r) { return r.summary.complete(); })
      .def_property_readonly("warnings", [](const TrainingResult& r) { return r.summary.warnings; })
      .def_property_readonly("seconds", [](const TrainingResult& r) { return r.summary.training.training_seconds; })
      .def("brief", [](const TrainingResult& r) { return r.summary.BriefReport(); })
      .def("report", [](const TrainingResult& r) { return r.summary.FullReport(); })
      .def("to_csv", [](const TrainingResult& r) {
            // the run's constant parameters as columns after metrics_csv's, as write_training_outputs writes them
            const auto& p = r.summary.parameters;
            return with_parameter_columns(metrics_csv(r.summary.training, r.num_classes),
                                          {{"n", p.at("n").get<double>()}, {"T", p.at("T").get<double>()},
                                           {"Tr", p.at("Tr").get<double>()}});
          }, "metrics.csv as the CLI writes it (lib/formats.hpp; with the columns n, T, Tr)")
      .def("to_dict", [](const TrainingResult& r) { return to_python(r.summary.ToJson()); });

  m.def("train", [](py::object images, py::object labels, py::object progress, py::kwargs kwargs) {
    Keywords k("train");
    TrainKeywords t;
    train_keywords(k, t);
    k.apply(kwargs);
    if (k.given("--T") && k.given("--Tr")) throw InputError("--Tr excludes --T");
    check_train(t);
    const bool arrays = !images.is_none() && !py::isinstance<py::str>(images);
    if (!images.is_none() && !arrays) t.run.images = py::cast<std::string>(images);
    if (!labels.is_none() && py::isinstance<py::str>(labels) && !arrays) t.run.labels = py::cast<std::string>(labels);
    Eigen::MatrixXd pixels;
    std::vector<int> classes;
    if (arrays) {
      if (t.run.synthetic) throw InputError("give exactly one of --images FILE or --synthetic");
      if (labels.is_none()) throw InputError("--labels FILE|blocks:K is required with --images");
      pixels = image_matrix(images);
      // As the CLI refuses such a file (lib/dataset.cpp): a NaN would make the whole run non-finite.
      if (!pixels.allFinite()) throw InputError("images: the images contain NaN or infinite values");
      classes = label_vector(labels, pixels.rows());
    }
    const int epochs = t.run.trainer.epochs;
    EpochCallback on_epoch = [held = hold(progress), epochs](const EpochMetrics& metrics, const NetworkState&) {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!held->is_none()) (*held)(metrics.epoch, epochs, metrics.cost, metrics.accuracy);
    };
    auto result = std::make_shared<TrainingResult>();
    {
      py::gil_scoped_release release;
      if (std::string why; !t.run.IsValid(&why) && !arrays) throw InputError(why);
      Eigen::setNbThreads(t.threads);
      result->summary = arrays ? run_training(t.run, pixels, classes, on_epoch) : run_training(t.run, on_epoch);
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    result->num_classes = result->summary.state.num_classes();
    return result;
  }, py::arg("images") = py::none(), py::arg("labels") = py::none(), py::arg("progress") = py::none(),
  "train(images=None, labels=None, progress=None, **keywords): trains the full network.\n"
  "images: S x N array (or (1,S,N), (S,H,W)) or a file; labels: S integers, \"blocks:K\" or a file;\n"
  "synthetic=True instead for the seven-segment digits. Keywords as `waddington train`.\n"
  "progress(epoch, epochs, cost, accuracy) is called after every epoch.");

  py::class_<MemoryAnalysis>(m, "MemoryAnalysis", "Memories in the sample basis (lib/memory_analysis.hpp).")
      .def_readonly("alpha", &MemoryAnalysis::alpha, "K x S: alpha = M X^+")
      .def_readonly("alpha_by_class", &MemoryAnalysis::alpha_by_class, "K x C: per-class sums of alpha")
      .def_readonly("max_alpha", &MemoryAnalysis::max_alpha)
      .def_readonly("span_residual", &MemoryAnalysis::span_residual)
      .def_readonly("samples_to_reconstruct", &MemoryAnalysis::samples_to_reconstruct)
      .def_readonly("mean_max_alpha", &MemoryAnalysis::mean_max_alpha)
      .def_readonly("reconstructible", &MemoryAnalysis::reconstructible, "memories reconstructible within the tolerance")
      .def_readonly("mean_samples_to_reconstruct", &MemoryAnalysis::mean_samples_to_reconstruct,
                    "mean samples_to_reconstruct over the reconstructible memories; NaN when there are none");

  m.def("analyze", [](py::object memories, py::object images, py::object labels, py::kwargs kwargs) {
    Keywords k("analyze");
    MemoryAnalysisOptions o;
    analyze_keywords(k, o);
    k.apply(kwargs);
    Eigen::MatrixXd M = image_matrix(memories);
    Eigen::MatrixXd X = py::isinstance<py::str>(images) ? load_images(py::cast<std::string>(images)) : image_matrix(images);
    warn_read_problems();
    Dataset training;
    training.labels = label_vector(labels, X.rows());
    if (Eigen::Index(training.labels.size()) != X.rows())
      throw InputError(fmt::format("labels: {} labels for {} image rows", training.labels.size(), X.rows()));
    if (!M.allFinite()) throw InputError("memories: the memories contain NaN or infinite values");
    if (!X.allFinite()) throw InputError("images: the images contain NaN or infinite values");
    training.images = std::move(X);
    for (Eigen::Index i = 0; i < training.images.rows(); ++i) training.source_rows.push_back(i);
    py::gil_scoped_release release;
    return analyze_memories(M, training, o);
  }, py::arg("memories"), py::arg("images"), py::arg("labels"),
  "analyze(memories, images, labels, tolerance=0.05): the memories in the basis of the training samples.");
}

}  // namespace

void register_training(py::module_& m) { bind_training(m); }

}  // namespace waddington::python

// The reduced-model functions: fixed_points, continue_diagram, fold_curves,
// phase_portrait, compare, eigencheck. Each maps its keywords onto the
// library's Options (keywords.cpp), runs the library call without the GIL and
// returns the library's Summary wrapped as a Python object: numpy columns,
// to_csv() by the library's own writers (reduced_models/formats.hpp), to_dict()
// by its ToJson(). to_pandas() is added in Python (waddington/__init__.py).
#include <fmt/format.h>
#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <chrono>
#include <memory>

#include "compare/compare.hpp"
#include "compare/eigencheck.hpp"
#include "compare/formats.hpp"
#include "compare/transition_samples.hpp"
#include "compare/transition_verify.hpp"
#include "lib/csv_columns.hpp"
#include "lib/errors.hpp"
#include "python/common.hpp"
#include "python/keywords.hpp"
#include "python/temperature.hpp"
#include "reduced_models/formats.hpp"
#include "reduced_models/k2_branches.hpp"
#include "reduced_models/portrait.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::python {

using namespace reduced;

namespace {

template <class Options>
void validate(const Options& o) {
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
}

// ---- fixed points

struct FixedPointsResult {
  FixedPointSummary summary;
  nlohmann::json setup;  // the set-up as run (T_eff, T_r, N, images)
};

py::dict fixed_point_columns(const std::vector<FixedPoint>& f) {
  py::dict d;
  d["alpha"] = column<double>(f, [](const auto& x) { return x.alpha; });
  d["alpha_B"] = column<double>(f, [](const auto& x) { return x.alpha_B; });
  d["ell"] = column<double>(f, [](const auto& x) { return x.ell; });
  d["stability"] = text_column(f, [](const auto& x) { return ToString(x.stability); });
  d["eig1"] = column<double>(f, [](const auto& x) { return x.eigenvalues(0).real(); });
  d["eig2"] = column<double>(f, [](const auto& x) { return x.held ? std::nan("") : x.eigenvalues(1).real(); });
  d["chart"] = column<int>(f, [](const auto& x) { return x.chart; });
  d["kind"] = text_column(f, [](const auto& x) { return ToString(x.kind); });
  d["residual"] = column<double>(f, [](const auto& x) { return x.residual; });
  d["speed"] = column<double>(f, [](const auto& x) { return x.speed; });
  d["eig1_im"] = column<double>(f, [](const auto& x) { return x.eigenvalues(0).imag(); });
  d["eig2_im"] = column<double>(f, [](const auto& x) { return x.held ? std::nan("") : x.eigenvalues(1).imag(); });
  const double nan = std::nan("");
  d["anti_eig1"] = column<double>(f, [&](const auto& x) { return x.has_antisymmetric ? x.antisymmetric_eigenvalues(0).real() : nan; });
  d["anti_eig2"] = column<double>(f, [&](const auto& x) { return x.has_antisymmetric ? x.antisymmetric_eigenvalues(1).real() : nan; });
  d["held"] = column<bool>(f, [](const auto& x) { return x.held; });
  return d;
}

void bind_fixed_points(py::module_& m) {
  py::class_<FixedPointsResult, std::shared_ptr<FixedPointsResult>>(m, "FixedPoints",
      "All equilibria of the reduced two-memory flow (reduced_models/fixed_points.hpp).")
      .def("__len__", [](const FixedPointsResult& r) { return r.summary.fixed_points.size(); })
      .def("__repr__", [](const FixedPointsResult& r) { return "<FixedPoints: " + r.summary.BriefReport() + ">"; })
      .def("columns", [](const FixedPointsResult& r) { return fixed_point_columns(r.summary.fixed_points); },
           "The fixed points as a dict of numpy arrays (the columns of fixed_points.csv, full precision).")
      .def_property_readonly("alpha", [](const FixedPointsResult& r) { return column<double>(r.summary.fixed_points, [](const auto& x) { return x.alpha; }); })
      .def_property_readonly("ell", [](const FixedPointsResult& r) { return column<double>(r.summary.fixed_points, [](const auto& x) { return x.ell; }); })
      .def_property_readonly("stability", [](const FixedPointsResult& r) { return text_column(r.summary.fixed_points, [](const auto& x) { return ToString(x.stability); }); })
      .def_property_readonly("eigenvalues", [](const FixedPointsResult& r) {
            py::array_t<std::complex<double>> a({py::ssize_t(r.summary.fixed_points.size()), py::ssize_t(2)});
            auto v = a.mutable_unchecked<2>();
            for (std::size_t i = 0; i < r.summary.fixed_points.size(); ++i)
              for (int j = 0; j < 2; ++j) v(i, j) = r.summary.fixed_points[i].eigenvalues(j);
            return a;
          }, "k x 2 complex eigenvalues of the real flow (leading first)")
      .def_property_readonly("jacobians", [](const FixedPointsResult& r) {
            py::array_t<double> a({py::ssize_t(r.summary.fixed_points.size()), py::ssize_t(2), py::ssize_t(2)});
            auto v = a.mutable_unchecked<3>();
            for (std::size_t i = 0; i < r.summary.fixed_points.size(); ++i)
              for (int j = 0; j < 2; ++j)
                for (int l = 0; l < 2; ++l) v(i, j, l) = r.summary.fixed_points[i].jacobian(j, l);
            return a;
          }, "k x 2 x 2 Jacobians of the real flow")
      .def_property_readonly("termination", [](const FixedPointsResult& r) { return ToString(r.summary.termination); })
      .def_property_readonly("seeds", [](const FixedPointsResult& r) { return r.summary.seeds; })
      .def_property_readonly("newton_failures", [](const FixedPointsResult& r) { return r.summary.newton_failures; })
      .def_property_readonly("seconds", [](const FixedPointsResult& r) { return r.summary.seconds; })
      .def_property_readonly("parameters", [](const FixedPointsResult& r) { return to_python(r.setup); })
      .def("count", [](const FixedPointsResult& r, const std::string& stability) {
            Stability s;
            if (!FromString(stability, &s)) throw InputError("stability '" + stability + "': expected stable, unstable, saddle or unknown");
            return r.summary.count(s);
          })
      .def("brief", [](const FixedPointsResult& r) { return r.summary.BriefReport(); })
      .def("report", [](const FixedPointsResult& r) {
            return temperature_line(r.summary.parameters) + "\n" + r.summary.FullReport(); },
           "The table `waddington fixed-points` prints: the effective-temperature line, then the fixed points")
      .def_property_readonly("temperature", [](const FixedPointsResult& r) {
            return to_python(temperature_json(r.summary.parameters)); },
           "memories_identical, T_eff_rule and T_eff (T / k^(1/n)) of the flow as run")
      .def("table", [](const FixedPointsResult& r) { return fixed_points_table(r.summary); })
      .def("to_csv", [](const FixedPointsResult& r) {
            return with_parameter_columns(fixed_points_csv(r.summary), parameter_columns(r.summary.parameters)); },
           "fixed_points.csv as the CLI writes it (reduced_models/formats.hpp; with the columns n, T, Tr)")
      .def("to_dict", [](const FixedPointsResult& r) {
            nlohmann::json j = r.summary.ToJson();
            j["temperature"] = temperature_json(r.summary.parameters);
            return to_python(j);
          }, "The summary as `fixed-points --format json` prints it (and run.json holds it)");

  m.def("fixed_points", [](py::kwargs kwargs) {
    Keywords k("fixed_points");
    ReducedKeywords r;
    FixedPointKeywords f;
    fixed_points_keywords(k, r, f);
    k.apply(kwargs);
    auto result = std::make_shared<FixedPointsResult>();
    {
      py::gil_scoped_release release;
      const TwoMemorySetup setup = r.make(k);
      const FixedPointOptions o = check_fixed_points(f);
      validate(o);
      result->summary = find_fixed_points(setup.parameters, o);
      result->setup = setup.ToJson();
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, "fixed_points(**keywords): the equilibria at one (n, T); keywords as `waddington fixed-points`.");
}

// ---- the diagram

struct DiagramResult {
  DiagramSummary summary;
  nlohmann::json setup;
  bool has_k2 = false;  // system="k2"
  K2Summary k2;
  std::string varying() const { return summary.options.parameter == BifurcationParameter::kN ? "n" : "T"; }
  nlohmann::json ToJson() const {
    nlohmann::json j = summary.ToJson();
    j["temperature"] = temperature_json(summary.parameters, varying());
    return j;
  }
};

py::dict k2_columns(const K2Summary& s, int num_pixels) {
  std::vector<std::pair<const K2Branch*, const K2Row*>> rows;
  for (const auto& b : s.branches)
    for (const auto& r : b.rows) rows.emplace_back(&b, &r);
  py::dict d;
  d["branch"] = column<int>(rows, [](const auto& x) { return x.second->branch; });
  d["n"] = column<double>(rows, [](const auto& x) { return x.second->n; });
  d["T"] = column<double>(rows, [](const auto& x) { return x.second->T; });
  d["Tr"] = column<double>(rows, [&](const auto& x) { return x.second->T / num_pixels; });
  d["chart"] = column<int>(rows, [](const auto& x) { return x.first->chart; });
  d["alpha1"] = column<double>(rows, [](const auto& x) { return x.second->alpha1; });
  d["ell1"] = column<double>(rows, [](const auto& x) { return x.second->ell1; });
  d["alpha2"] = column<double>(rows, [](const auto& x) { return x.second->alpha2; });
  d["ell2"] = column<double>(rows, [](const auto& x) { return x.second->ell2; });
  d["stability"] = text_column(rows, [](const auto& x) { return ToString(x.second->stability); });
  d["eig1"] = column<double>(rows, [](const auto& x) { return x.second->eig1; });
  d["eig2"] = column<double>(rows, [](const auto& x) { return x.second->eig2; });
  d["unstable_count"] = column<int>(rows, [](const auto& x) { return x.second->unstable_count; });
  d["labels_held"] = column<bool>(rows, [](const auto& x) { return x.first->labels_held; });
  return d;
}

py::dict diagram_row_columns(const std::vector<DiagramRow>& rows, int num_pixels) {
  py::dict d;
  d["branch"] = column<int>(rows, [](const auto& r) { return r.branch; });
  d["n"] = column<double>(rows, [](const auto& r) { return r.n; });
  d["T"] = column<double>(rows, [](const auto& r) { return r.T; });
  d["alpha"] = column<double>(rows, [](const auto& r) { return r.alpha; });
  d["alpha_B"] = column<double>(rows, [](const auto& r) { return r.alpha_B + 0.0; });
  d["ell"] = column<double>(rows, [](const auto& r) { return r.ell; });
  d["stability"] = text_column(rows, [](const auto& r) { return ToString(r.stability); });
  d["Tr"] = column<double>(rows, [&](const auto& r) { return r.T / num_pixels; });
  d["chart"] = column<int>(rows, [](const auto& r) { return r.chart; });
  d["kind"] = text_column(rows, [](const auto& r) { return ToString(r.kind); });
  d["eig1"] = column<double>(rows, [](const auto& r) { return r.eig1; });
  d["eig2"] = column<double>(rows, [](const auto& r) { return r.eig2; });
  d["newton_iterations"] = column<int>(rows, [](const auto& r) { return r.newton_iterations; });
  d["step"] = column<double>(rows, [](const auto& r) { return r.step; });
  const double nan = std::nan("");
  d["splitting_eig1"] = column<double>(rows, [&](const auto& r) { return r.has_splitting ? r.split1 : nan; });
  d["splitting_eig2"] = column<double>(rows, [&](const auto& r) { return r.has_splitting ? r.split2 : nan; });
  d["unstable_count_k2"] = column<int>(rows, [](const auto& r) { return r.has_splitting ? r.unstable_count_k2 : -1; });
  d["stable_k2"] = column<bool>(rows, [](const auto& r) { return r.stable_k2(); });
  return d;
}

py::dict special_point_columns(const std::vector<DiagramPoint>& points, int num_pixels) {
  py::dict d;
  d["type"] = text_column(points, [](const auto& p) { return ToString(p.type); });
  d["n"] = column<double>(points, [](const auto& p) { return p.n; });
  d["T"] = column<double>(points, [](const auto& p) { return p.T; });
  d["alpha"] = column<double>(points, [](const auto& p) { return p.alpha + 0.0; });
  d["alpha_B"] = column<double>(points, [](const auto& p) { return p.alpha_B + 0.0; });
  d["ell"] = column<double>(points, [](const auto& p) { return p.ell; });
  d["Tr"] = column<double>(points, [&](const auto& p) { return p.T / num_pixels; });
  d["chart"] = column<int>(points, [](const auto& p) { return p.chart; });
  d["branch"] = column<int>(points, [](const auto& p) { return p.branch; });
  d["where"] = text_column(points, [](const auto& p) { return p.where; });
  d["converged"] = column<bool>(points, [](const auto& p) { return p.converged; });
  d["residual"] = column<double>(points, [](const auto& p) { return p.residual; });
  d["test_value"] = column<double>(points, [](const auto& p) { return p.test_value; });
  return d;
}

std::vector<DiagramRow> all_rows(const DiagramSummary& s) {
  std::vector<DiagramRow> rows;
  for (const auto& b : s.branches) rows.insert(rows.end(), b.rows.begin(), b.rows.end());
  return rows;
}

void bind_diagram(py::module_& m) {
  py::class_<Branch>(m, "Branch", "One branch of a diagram (reduced_models/bifurcation.hpp).")
      .def_readonly("id", &Branch::id)
      .def_readonly("chart", &Branch::chart)
      .def_property_readonly("kind", [](const Branch& b) { return ToString(b.kind); })
      .def_readonly("ell_bound", &Branch::ell_bound)
      .def_readonly("found_from", &Branch::found_from)
      .def_readonly("ends", &Branch::ends)
      .def("__len__", [](const Branch& b) { return b.rows.size(); })
      .def("columns", [](const Branch& b) { return diagram_row_columns(b.rows, 784); },
           "The rows as numpy arrays (Tr with N = 784; the diagram's columns() has its own N)")
      .def_property_readonly("n", [](const Branch& b) { return column<double>(b.rows, [](const auto& r) { return r.n; }); })
      .def_property_readonly("T", [](const Branch& b) { return column<double>(b.rows, [](const auto& r) { return r.T; }); })
      .def_property_readonly("alpha", [](const Branch& b) { return column<double>(b.rows, [](const auto& r) { return r.alpha; }); })
      .def_property_readonly("ell", [](const Branch& b) { return column<double>(b.rows, [](const auto& r) { return r.ell; }); })
      .def_property_readonly("stable", [](const Branch& b) { return column<bool>(b.rows, [](const auto& r) { return r.stability == Stability::kStable; }); })
      .def_property_readonly("stable_k2", [](const Branch& b) { return column<bool>(b.rows, [](const auto& r) { return r.stable_k2(); }); })
      .def("__repr__", [](const Branch& b) {
        return fmt::format("<Branch {}: {} rows, chart {:+d}, {}, ends: {} / {}>", b.id, b.rows.size(), b.chart, ToString(b.kind),
                           b.ends[0], b.ends[1]);
      });

  py::class_<DiagramResult, std::shared_ptr<DiagramResult>>(m, "Diagram",
      "A complete one-parameter bifurcation diagram (reduced_models/bifurcation.hpp).")
      .def("__repr__", [](const DiagramResult& r) { return "<Diagram: " + r.summary.BriefReport() + ">"; })
      .def_property_readonly("branches", [](const DiagramResult& r) { return r.summary.branches; })
      .def("columns", [](const DiagramResult& r, const std::string& table) {
            const int N = r.summary.parameters.num_pixels;
            if (table == "branches") return diagram_row_columns(all_rows(r.summary), N);
            if (table == "special_points") return special_point_columns(r.summary.special_points, N);
            if (table == "k2_branches" && r.has_k2) return k2_columns(r.k2, N);
            throw InputError("table '" + table + "': expected branches or special_points" +
                             (r.has_k2 ? " or k2_branches" : ""));
          }, py::arg("table") = "branches",
          "branches.csv, special_points.csv or (system=\"k2\") k2_branches.csv as a dict of numpy arrays (full precision)")
      .def_property_readonly("special_points", [](const DiagramResult& r) {
            return special_point_columns(r.summary.special_points, r.summary.parameters.num_pixels); })
      .def_property_readonly("folds", [](const DiagramResult& r) {
            return special_point_columns(r.summary.folds(), r.summary.parameters.num_pixels); })
      .def_property_readonly("warnings", [](const DiagramResult& r) { return r.summary.warnings; })
      .def_property_readonly("complete", [](const DiagramResult& r) { return r.summary.complete(); })
      .def_property_readonly("termination", [](const DiagramResult& r) { return ToString(r.summary.termination); })
      .def_property_readonly("parameter", [](const DiagramResult& r) { return ToString(r.summary.options.parameter); })
      .def_property_readonly("window", [](const DiagramResult& r) { return std::make_pair(r.summary.options.from, r.summary.options.to); })
      .def_property_readonly("seconds", [](const DiagramResult& r) { return r.summary.seconds; })
      .def_property_readonly("parameters", [](const DiagramResult& r) { return to_python(r.setup); })
      .def_property_readonly("k2", [](const DiagramResult& r) -> py::object {
            if (!r.has_k2) return py::none();
            py::dict d;
            d["brief"] = r.k2.BriefReport();
            d["complete"] = r.k2.complete();
            d["warnings"] = r.k2.warnings;
            d["summary"] = to_python(r.k2.ToJson());
            return d;
          }, "system=\"k2\": the asymmetric branches' brief report, completeness, warnings and summary (else None)")
      .def("brief", [](const DiagramResult& r) { return r.summary.BriefReport(); })
      .def("report", [](const DiagramResult& r) {
            return temperature_line(r.summary.parameters, r.varying()) + "\n" + r.summary.FullReport(); },
           "The table `waddington continue` prints: the effective-temperature rule, then the diagram")
      .def("to_csv", [](const DiagramResult& r, const std::string& table) {
            if (table == "branches") return branches_csv(r.summary);
            if (table == "special_points") return special_points_csv(r.summary);
            if (table == "k2_branches" && r.has_k2) return k2_branches_csv(r.summary.parameters, r.k2);
            throw InputError("table '" + table + "': expected branches or special_points" +
                             (r.has_k2 ? " or k2_branches" : ""));
          }, py::arg("table") = "branches",
          "branches.csv, special_points.csv or (system=\"k2\") k2_branches.csv as the CLI writes them")
      .def("to_dict", [](const DiagramResult& r) { return to_python(r.ToJson()); },
           "The summary as `continue --format json` prints it");

  m.def("continue_diagram", [](py::object progress, py::kwargs kwargs) {
    Keywords k("continue_diagram");
    ReducedKeywords r;
    DiagramKeywords d;
    diagram_keywords(k, r, d);
    k.apply(kwargs);
    auto result = std::make_shared<DiagramResult>();
    d.options.on_progress = progress_hook(progress);
    {
      py::gil_scoped_release release;
      const DiagramMethod method = check_diagram(k, d);
      const TwoMemorySetup setup = r.make(k);
      diagram_windows(d, setup.parameters.num_pixels);
      validate(d.options);
      if (d.system == "k2" && setup.parameters.identical_memories != 2)
        throw InputError("--system k2 needs --memories-identical 2 (the symmetric branches of two identical memories)");
      result->summary = bifurcation_diagram(setup.parameters, d.options, method);
      if (d.system == "k2") {
        result->k2 = continue_split_branches(setup.parameters, result->summary);
        result->has_k2 = true;
      }
      result->setup = setup.ToJson();
    }
    result->summary.options.on_progress = nullptr;  // holds a Python object
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, py::arg("progress") = py::none(),
  "continue_diagram(progress=None, **keywords): the complete diagram in n or T (Figure 5A); keywords as\n"
  "`waddington continue`: n_range=(A, B) (default 1:60) with param=\"n\", T_range or Tr_range (default T_r\n"
  "0.8:1.15) with param=\"T\"; window=(A, B) is the window of param, whichever it is.\n"
  "progress(done, total) is called as it goes.");
}

// ---- fold curves

struct FoldCurvesResult {
  FoldCurveSummary summary;
  nlohmann::json setup;
  DiagramMethod method = DiagramMethod::kContinuation;
  std::vector<double> report_Tr;
};

void bind_fold_curves(py::module_& m) {
  py::class_<FoldCurvesResult, std::shared_ptr<FoldCurvesResult>>(m, "FoldCurves",
      "Saddle-node curves in the (n, T) plane and the region map (reduced_models/bifurcation_folds.hpp).")
      .def("__repr__", [](const FoldCurvesResult& r) { return "<FoldCurves: " + r.summary.BriefReport() + ">"; })
      .def("columns", [](const FoldCurvesResult& r, const std::string& table) {
            const auto& s = r.summary;
            const double N = s.parameters.num_pixels;
            py::dict d;
            if (table == "curves") {
              std::vector<FoldCurveSample> pts;
              for (const auto& c : s.curves) pts.insert(pts.end(), c.points.begin(), c.points.end());
              d["curve"] = column<int>(pts, [](const auto& p) { return p.curve; });
              d["n"] = column<double>(pts, [](const auto& p) { return p.n; });
              d["T"] = column<double>(pts, [](const auto& p) { return p.T; });
              d["Tr"] = column<double>(pts, [&](const auto& p) { return p.T / N; });
              d["alpha"] = column<double>(pts, [](const auto& p) { return p.alpha; });
              d["ell"] = column<double>(pts, [](const auto& p) { return p.ell; });
              d["alpha_B"] = column<double>(pts, [](const auto& p) { return p.alpha_B; });
              d["chart"] = column<int>(pts, [](const auto& p) { return p.chart; });
              return d;
            }
            if (table == "special_points") return special_point_columns(s.special_points, int(N));
            if (table == "map") {
              d["n"] = column<double>(s.map, [](const auto& c) { return c.n; });
              d["T"] = column<double>(s.map, [](const auto& c) { return c.T; });
              d["Tr"] = column<double>(s.map, [&](const auto& c) { return c.T / N; });
              d["stable"] = column<int>(s.map, [](const auto& c) { return c.stable; });
              d["total"] = column<int>(s.map, [](const auto& c) { return c.total; });
              return d;
            }
            if (table == "regions") {
              d["n"] = column<double>(s.regions, [](const auto& c) { return c.n; });
              d["T"] = column<double>(s.regions, [](const auto& c) { return c.T; });
              d["Tr"] = column<double>(s.regions, [&](const auto& c) { return c.T / N; });
              d["stable"] = column<int>(s.regions, [](const auto& c) { return c.stable; });
              d["cells"] = column<int>(s.regions, [](const auto& c) { return c.cells; });
              return d;
            }
            throw InputError("table '" + table + "': expected curves, special_points, map or regions");
          }, py::arg("table") = "curves")
      .def_property_readonly("map_shape", [](const FoldCurvesResult& r) {
            return std::make_pair(r.summary.options.map_n_cells + 1, r.summary.options.map_T_cells + 1); },
            "(n nodes, T nodes) of the map (n-major)")
      .def("crossings", [](const FoldCurvesResult& r, double Tr) {
            return special_point_columns(fold_crossings_at_T(r.summary, Tr * r.summary.parameters.num_pixels),
                                         r.summary.parameters.num_pixels); }, py::arg("Tr"),
           "Where the fold curves cross T_r, located exactly (column branch = curve)")
      .def_property_readonly("warnings", [](const FoldCurvesResult& r) { return r.summary.warnings; })
      .def_property_readonly("complete", [](const FoldCurvesResult& r) { return r.summary.complete(); })
      .def_property_readonly("parameters", [](const FoldCurvesResult& r) { return to_python(r.setup); })
      .def("brief", [](const FoldCurvesResult& r) { return r.summary.BriefReport(); })
      .def("report", [](const FoldCurvesResult& r) {
            std::string table = temperature_line(r.summary.parameters, "n,T") + "\n" + r.summary.FullReport();
            if (r.method == DiagramMethod::kContinuation) table += fold_crossings_table(r.summary, r.report_Tr);
            return table;
          }, "The table `waddington fold-curve` prints (with the crossings of report_Tr)")
      .def("to_csv", [](const FoldCurvesResult& r, const std::string& table) {
            if (table == "curves") return fold_curves_csv(r.summary);
            if (table == "special_points") return fold_special_points_csv(r.summary);
            if (table == "map") return region_map_csv(r.summary);
            throw InputError("table '" + table + "': expected curves, special_points or map");
          }, py::arg("table") = "curves")
      .def("to_dict", [](const FoldCurvesResult& r) {
            nlohmann::json j = r.summary.ToJson();
            j["temperature"] = temperature_json(r.summary.parameters, "n,T");
            return to_python(j);
          }, "The summary as `fold-curve --format json` prints it");

  m.def("fold_curves", [](py::object progress, py::kwargs kwargs) {
    Keywords k("fold_curves");
    ReducedKeywords r;
    FoldKeywords f;
    fold_keywords(k, r, f);
    k.apply(kwargs);
    auto result = std::make_shared<FoldCurvesResult>();
    f.options.on_progress = progress_hook(progress);
    {
      py::gil_scoped_release release;
      const DiagramMethod method = check_fold(k, f);
      const TwoMemorySetup setup = r.make(k);
      fold_windows(f, setup.parameters.num_pixels);
      result->summary = method == DiagramMethod::kGrid ? grid_fold_map(setup.parameters, f.options)
                                                        : compute_fold_curves(setup.parameters, f.options);
      result->setup = setup.ToJson();
      result->method = method;
      result->report_Tr = f.report_Tr;
    }
    result->summary.options.on_progress = nullptr;
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, py::arg("progress") = py::none(),
  "fold_curves(progress=None, **keywords): fold curves in (n, T) and the region map; keywords as `waddington fold-curve`.");
}

// ---- phase portrait

struct PortraitResult {
  PhasePortrait portrait;
  FixedPointSummary fixed_points;
  std::vector<TrajectoryResult> trajectories;
  nlohmann::json setup;
};

py::list polylines(const std::vector<Polyline>& lines) {
  py::list out;
  for (const auto& l : lines) {
    py::array_t<double> a({py::ssize_t(l.points.size()), py::ssize_t(2)});
    auto v = a.mutable_unchecked<2>();
    for (std::size_t i = 0; i < l.points.size(); ++i) v(i, 0) = l.points[i](0), v(i, 1) = l.points[i](1);
    out.append(a);
  }
  return out;
}

py::list paths(const std::vector<std::vector<Eigen::Vector2d>>& lines) {
  std::vector<Polyline> p;
  for (const auto& l : lines) p.push_back({l, false});
  return polylines(p);
}

void bind_portrait(py::module_& m) {
  py::class_<PortraitResult, std::shared_ptr<PortraitResult>>(m, "PhasePortrait",
      "The data of a phase portrait (reduced_models/portrait.hpp): nullclines, flow, fixed points, trajectories.")
      .def_property_readonly("memory_nullclines", [](const PortraitResult& r) { return polylines(r.portrait.nullclines.memory); },
                             "dalpha/dt = 0: a list of (k, 2) arrays of (alpha, ell)")
      .def_property_readonly("label_nullclines", [](const PortraitResult& r) { return polylines(r.portrait.nullclines.label); },
                             "dell/dt = 0: a list of (k, 2) arrays of (alpha, ell)")
      .def_property_readonly("flow_lines", [](const PortraitResult& r) { return paths(r.portrait.flow_lines); })
      .def_property_readonly("trajectories", [](const PortraitResult& r) { return paths(r.portrait.trajectories); })
      .def_property_readonly("velocity", [](const PortraitResult& r) {
            const auto& v = r.portrait.velocity_field;
            py::dict d;
            d["alpha"] = column<double>(v, [](const auto& a) { return a.alpha; });
            d["ell"] = column<double>(v, [](const auto& a) { return a.ell; });
            d["dalpha"] = column<double>(v, [](const auto& a) { return a.dalpha; });
            d["dell"] = column<double>(v, [](const auto& a) { return a.dell; });
            return d;
          })
      .def_property_readonly("fixed_points", [](const PortraitResult& r) {
            auto f = std::make_shared<FixedPointsResult>();
            f->summary = r.fixed_points;
            return f;
          })
      .def_property_readonly("window", [](const PortraitResult& r) {
            return std::make_pair(r.portrait.options.alpha_min, r.portrait.options.alpha_max); })
      .def_property_readonly("dead_regions", [](const PortraitResult& r) {
            std::vector<std::pair<double, double>> d;
            for (const auto& x : r.portrait.nullclines.dead_regions)
              if (x.chart == r.fixed_points.parameters.chart) d.emplace_back(x.alpha_min, x.alpha_max);
            return d;
          })
      .def_property_readonly("parameters", [](const PortraitResult& r) { return to_python(r.setup); });

  m.def("phase_portrait", [](py::kwargs kwargs) {
    Keywords k("phase_portrait");
    ReducedKeywords r;
    PortraitKeywords p;
    portrait_keywords(k, r, p);
    k.apply(kwargs);
    auto result = std::make_shared<PortraitResult>();
    {
      py::gil_scoped_release release;
      const TwoMemorySetup setup = r.make(k);
      const auto starts = portrait_starts(p);
      TrajectoryOptions to;
      to.t_max = portrait_time(p);
      FixedPointOptions fo;
      fo.alpha_min = p.options.alpha_min, fo.alpha_max = p.options.alpha_max;
      result->fixed_points = find_fixed_points(setup.parameters, fo);
      for (auto [a, l] : starts) {
        result->trajectories.push_back(integrate_two_memory(setup.parameters, a, l, to));
        check_signals();
      }
      result->portrait = phase_portrait(setup, result->fixed_points.fixed_points, result->trajectories, p.options);
      result->setup = setup.ToJson();
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, "phase_portrait(**keywords): nullclines, flow, fixed points and trajectories at one (n, T);\n"
     "keywords as `waddington phase-portrait` (start=(alpha, ell) or start=[(alpha, ell), ...]; time = duration x rate).");
}

// ---- verification: compare and eigencheck

struct CompareResultPy {
  compare::CompareResult result;
  TwoMemoryParameters parameters;  // as set up (the columns n, T, Tr of compare.csv)
};

struct EigencheckPy {
  compare::EigencheckResult result;
  TwoMemoryParameters parameters;  // as set up (the columns n, T, Tr of eigencheck.csv)
};

void bind_compare(py::module_& m) {
  py::class_<CompareResultPy, std::shared_ptr<CompareResultPy>>(m, "Comparison",
      "The full trainer (two memories) against the reduced flow from one start (compare/compare.hpp).")
      .def("__repr__", [](const CompareResultPy& r) { return "<Comparison: " + r.result.BriefReport() + ">"; })
      .def("columns", [](const CompareResultPy& r) {
            const auto& rows = r.result.rows;
            py::dict d;
            d["epoch"] = column<int>(rows, [](const auto& x) { return x.epoch; });
            d["alpha_full"] = column<double>(rows, [](const auto& x) { return x.alpha_full; });
            d["ell_full"] = column<double>(rows, [](const auto& x) { return x.ell_full; });
            d["alpha_reduced"] = column<double>(rows, [](const auto& x) { return x.alpha_reduced; });
            d["ell_reduced"] = column<double>(rows, [](const auto& x) { return x.ell_reduced; });
            d["split"] = column<double>(rows, [](const auto& x) { return x.split; });
            d["alpha_1"] = column<double>(rows, [](const auto& x) { return x.alpha_1; });
            d["ell_1"] = column<double>(rows, [](const auto& x) { return x.ell_1; });
            d["alpha_2"] = column<double>(rows, [](const auto& x) { return x.alpha_2; });
            d["ell_2"] = column<double>(rows, [](const auto& x) { return x.ell_2; });
            d["off_model"] = column<double>(rows, [](const auto& x) { return x.off_model; });
            return d;
          }, "compare.csv as a dict of numpy arrays")
      .def_property_readonly("fixed_points", [](const CompareResultPy& r) {
            auto f = std::make_shared<FixedPointsResult>();
            f->summary = r.result.fixed_points;
            return f;
          })
      .def_property_readonly("split_epoch", [](const CompareResultPy& r) { return r.result.split_epoch; })
      .def_property_readonly("max_deviation_alpha", [](const CompareResultPy& r) { return r.result.max_deviation_alpha; })
      .def_property_readonly("max_deviation_ell", [](const CompareResultPy& r) { return r.result.max_deviation_ell; })
      .def("brief", [](const CompareResultPy& r) { return r.result.BriefReport(); })
      .def("to_csv", [](const CompareResultPy& r) {
            return with_parameter_columns(compare::compare_csv(r.result), parameter_columns(r.parameters)); },
           "compare.csv as the CLI writes it (with the columns n, T, Tr)")
      .def("to_dict", [](const CompareResultPy& r) { return to_python(r.result.ToJson()); });

  m.def("compare", [](py::kwargs kwargs) {
    Keywords k("compare");
    ReducedKeywords r;
    CompareKeywords c;
    compare_keywords(k, r, c);
    k.apply(kwargs);
    auto result = std::make_shared<CompareResultPy>();
    {
      py::gil_scoped_release release;
      if (!k.given("--images"))
        throw InputError("compare needs the two samples for the full network: give --images FILE --pair I,J");
      check_no_identical(k, "compare");
      const TwoMemorySetup setup = r.make(k);
      std::tie(c.options.alpha, c.options.ell) = parse_point(c.start, "--start");
      validate(c.options);
      result->result = compare::compare_reduced_full(setup, c.options);
      result->parameters = setup.parameters;
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, "compare(**keywords): the full network against the reduced flow (Figure 5C-D); keywords as `waddington compare`.");

  py::class_<EigencheckPy, std::shared_ptr<EigencheckPy>>(m, "Eigencheck",
      "Eigenvalues of the fixed points against fitted trajectory rates (compare/eigencheck.hpp).")
      .def("columns", [](const EigencheckPy& e) {
            const auto& rows = e.result.rows;
            py::dict d;
            d["point"] = column<int>(rows, [](const auto& x) { return x.point; });
            d["alpha"] = column<double>(rows, [](const auto& x) { return x.alpha; });
            d["ell"] = column<double>(rows, [](const auto& x) { return x.ell; });
            d["stability"] = text_column(rows, [](const auto& x) { return ToString(x.stability); });
            d["direction"] = text_column(rows, [](const auto& x) { return x.direction; });
            d["eigenvalue"] = column<double>(rows, [](const auto& x) { return x.eigenvalue; });
            d["fitted_rate"] = column<double>(rows, [](const auto& x) { return x.fitted_rate; });
            d["rel_error"] = column<double>(rows, [](const auto& x) { return x.rel_error; });
            d["source"] = text_column(rows, [](const auto& x) { return x.source; });
            d["window"] = column<double>(rows, [](const auto& x) { return x.window; });
            d["samples"] = column<int>(rows, [](const auto& x) { return x.samples; });
            d["note"] = text_column(rows, [](const auto& x) { return x.note; });
            return d;
          })
      .def_property_readonly("max_rel_error_reduced", [](const EigencheckPy& e) { return e.result.max_rel_error_reduced; })
      .def_property_readonly("max_rel_error_full", [](const EigencheckPy& e) { return e.result.max_rel_error_full; })
      .def("table", [](const EigencheckPy& e) { return e.result.table(); })
      .def("to_csv", [](const EigencheckPy& e) { return with_parameter_columns(e.result.csv(), parameter_columns(e.parameters)); },
           "eigencheck.csv as the CLI writes it (with the columns n, T, Tr)")
      .def("to_dict", [](const EigencheckPy& e) { return to_python(e.result.ToJson()); });

  m.def("eigencheck", [](py::kwargs kwargs) {
    Keywords k("eigencheck");
    ReducedKeywords r;
    compare::EigencheckOptions o;
    eigencheck_keywords(k, r, o);
    k.apply(kwargs);
    auto result = std::make_shared<EigencheckPy>();
    {
      py::gil_scoped_release release;
      if (o.full && !k.given("--images"))
        throw InputError("--full needs the two samples for the full network: give --images FILE --pair I,J");
      check_no_identical(k, "eigencheck");
      const TwoMemorySetup setup = r.make(k);
      validate(o);
      result->result = compare::eigencheck(setup, o);
      result->parameters = setup.parameters;
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, "eigencheck(**keywords): eigenvalues against trajectory rates; keywords as `waddington eigencheck`.");
}

}  // namespace

// ---- the transition line (analytic)

void bind_transition(py::module_& m) {
  py::class_<compare::TransitionSummary, std::shared_ptr<compare::TransitionSummary>>(m, "TransitionLine",
      "The analytic prototype/feature transition line T*(n) (compare/transition_verify.hpp).")
      .def("__repr__", [](const compare::TransitionSummary& s) { return "<TransitionLine: " + s.BriefReport() + ">"; })
      .def("columns", [](const compare::TransitionSummary& s) {
            const auto& rows = s.rows;
            py::dict d;
            d["n"] = column<double>(rows, [](const auto& r) { return r.n; });
            d["memory"] = column<int>(rows, [](const auto& r) { return r.memory; });
            d["T_star"] = column<double>(rows, [](const auto& r) { return r.T_star; });
            d["Tr_star"] = column<double>(rows, [](const auto& r) { return r.Tr_star; });
            d["note"] = text_column(rows, [](const auto& r) { return r.note; });
            return d;
          }, "n, memory, T_star, Tr_star, note as numpy arrays")
      .def("brief", &compare::TransitionSummary::BriefReport)
      .def("table", [](const compare::TransitionSummary& s) { return compare::transition_table(s); })
      .def("to_csv", [](const compare::TransitionSummary& s) { return compare::transition_csv(s); },
           "transition.csv as the CLI writes it (without --verify)")
      .def("to_dict", [](const compare::TransitionSummary& s) { return to_python(s.ToJson()); });

  m.def("transition_line", [](py::kwargs kwargs) {
    Keywords k("transition_line");
    TransitionKeywords t;
    transition_keywords(k, t);
    k.apply(kwargs);
    if (!k.given("--images")) throw InputError("--images is required");
    auto result = std::make_shared<compare::TransitionSummary>();
    {
      py::gil_scoped_release release;
      TransitionKind kind;
      if (!FromString(t.kind, &kind)) throw InputError(fmt::format("--kind '{}': expected intra or inter", t.kind));
      if (!FromString(t.crossing, &t.options.crossing))
        throw InputError(fmt::format("--crossing '{}': expected last or first", t.crossing));
      validate(t.options);
      const std::string n_spec = transition_n_spec(k, t);
      const sweep::Grid grid = compare::transition_grid(t.n_list, n_spec, t.Tr_range, t.Tr_step);
      std::vector<InputFile> inputs;
      const auto e = compare::load_transition_experiment(kind, t.images, t.labels, t.pair, t.class_means, &inputs);
      *result = compare::analytic_transition(e, grid.axes()[0].values, t.options);
    }
    warn_read_problems();  // the input files' warnings, with the GIL
    return result;
  }, "transition_line(**keywords): the analytic transition line; keywords as `waddington transition-line` "
     "(without --verify).");
}

// For scripts/bench_python.py: the best wall time of the bare library call
// (find_fixed_points or bifurcation_diagram, timed in C++) with the options the
// keywords give, to set against the time of the Python call.
double library_seconds(const std::string& function, int repeats, const py::kwargs& kwargs) {
  Keywords k(function);
  ReducedKeywords r;
  FixedPointKeywords f;
  DiagramKeywords d;
  if (function == "fixed_points") fixed_points_keywords(k, r, f);
  else if (function == "continue_diagram") diagram_keywords(k, r, d);
  else throw InputError("function '" + function + "': expected fixed_points or continue_diagram");
  k.apply(kwargs);
  py::gil_scoped_release release;
  const DiagramMethod method = function == "continue_diagram" ? check_diagram(k, d) : DiagramMethod::kContinuation;
  const TwoMemorySetup setup = r.make(k);
  if (function == "continue_diagram") diagram_windows(d, setup.parameters.num_pixels);
  const FixedPointOptions fo = check_fixed_points(f);
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (function == "fixed_points") (void)find_fixed_points(setup.parameters, fo);
    else (void)bifurcation_diagram(setup.parameters, d.options, method);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

void register_reduced(py::module_& m) {
  m.def("_library_seconds", &library_seconds, py::arg("function"), py::arg("repeats"),
        "Best wall time (s) of the bare library call of fixed_points or continue_diagram (for the benchmark).");
  bind_fixed_points(m);
  bind_diagram(m);
  bind_fold_curves(m);
  bind_portrait(m);
  bind_compare(m);
  bind_transition(m);
}

}  // namespace waddington::python

// The generic continuation engine (continuation/) from Python: the user's
// F(x, p) (numpy in, numpy out) becomes a continuation::Problem, with the
// user's Jacobian [F_x | F_p] or central finite differences; continue_problem
// continues the branch through a start in both directions and, at every
// simple branch point, switches to the crossing branch (branch_switch.hpp),
// so that a notebook gets branches and special points (folds, branch points,
// boundaries, ends) for any problem, as with AUTO or BifurcationKit.
#include <fmt/format.h>
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>

#include "continuation/branch_switch.hpp"
#include "continuation/pseudo_arclength.hpp"
#include "lib/errors.hpp"
#include "python/common.hpp"

namespace waddington::python {

namespace {

using continuation::Matrix;
using continuation::Vector;

// F(x, p) and optionally its Jacobian, written in Python. Every call takes the
// GIL; Ctrl-C is checked every 64 evaluations; a Python exception in F passes
// through the engine to the caller.
class PythonProblem : public continuation::Problem {
 public:
  PythonProblem(py::object f, py::object jacobian, int dimension, double fd_step)
      : f_(std::move(f)), jacobian_(std::move(jacobian)), d_(dimension), h_(fd_step) {}
  int dimension() const override { return d_; }

  bool evaluate(const Vector& x, double p, Vector* f, Matrix* jacobian) const override {
    py::gil_scoped_acquire gil;
    if (++calls_ % 64 == 0 && PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!call_f(x, p, f)) return false;
    if (jacobian == nullptr) return true;
    if (!jacobian_.is_none()) {
      const py::object j = jacobian_(py::array_t<double>(d_, x.data()), p);
      auto a = py::array_t<double, py::array::forcecast>::ensure(j);
      if (!a || a.ndim() != 2 || a.shape(0) != d_ || a.shape(1) != d_ + 1)
        throw InputError(fmt::format("jacobian(x, p) must return a {} x {} array [F_x | F_p]", d_, d_ + 1));
      jacobian->resize(d_, d_ + 1);
      auto v = a.unchecked<2>();
      for (int r = 0; r < d_; ++r)
        for (int c = 0; c <= d_; ++c) (*jacobian)(r, c) = v(r, c);
      return jacobian->allFinite();
    }
    // Central differences in each x_i and in p, step h max(1, |z_i|).
    jacobian->resize(d_, d_ + 1);
    Vector fp, fm, y = x;
    for (int c = 0; c <= d_; ++c) {
      const double z = c < d_ ? x(c) : p;
      const double step = h_ * std::max(1.0, std::abs(z));
      bool ok;
      if (c < d_) {
        y(c) = z + step, ok = call_f(y, p, &fp);
        y(c) = z - step, ok = ok && call_f(y, p, &fm);
        y(c) = z;
      } else {
        ok = call_f(x, p + step, &fp) && call_f(x, p - step, &fm);
      }
      if (!ok) return false;
      jacobian->col(c) = (fp - fm) / (2 * step);
    }
    return jacobian->allFinite();
  }

  long calls() const { return calls_; }

 private:
  bool call_f(const Vector& x, double p, Vector* f) const {
    const py::object out = f_(py::array_t<double>(d_, x.data()), p);
    auto a = py::array_t<double, py::array::forcecast>::ensure(out);
    if (!a || a.ndim() != 1 || a.shape(0) != d_)
      throw InputError(fmt::format("F(x, p) must return a 1-D array of {} numbers (the size of x0)", d_));
    f->resize(d_);
    for (int i = 0; i < d_; ++i) (*f)(i) = a.at(i);
    return f->allFinite();
  }

  py::object f_, jacobian_;
  int d_;
  double h_;
  mutable long calls_ = 0;
};

struct EngineBranch {
  int id = 0;
  std::string found_from;
  std::vector<continuation::BranchRow> rows;  // ordered along the branch
  std::array<std::string, 2> ends;
};

struct EnginePoint {
  continuation::SpecialPoint point;
  int branch = 0;
};

struct EngineResult {
  int dimension = 0;
  std::vector<EngineBranch> branches;
  std::vector<EnginePoint> special_points;
  std::vector<std::string> warnings;
  long evaluations = 0;
};

// Both halves of the branch from `start` as one branch (the -1 half reversed).
EngineBranch trace(const PythonProblem& problem, const continuation::BranchStart& start,
                   continuation::ContinuationOptions o, int id, EngineResult& result) {
  EngineBranch b;
  b.id = id;
  continuation::ContinuationResult halves[2];
  for (int k = 0; k < 2; ++k) {
    o.direction = k == 0 ? -1 : +1;
    halves[k] = continue_branch(problem, start, o);
    if (!halves[k].IsComplete())
      result.warnings.push_back(fmt::format("branch {} ({} half): {}", id, k == 0 ? "backward" : "forward", halves[k].message));
    b.ends[k] = fmt::format("{}: {}", ToString(halves[k].termination), halves[k].message);
  }
  // halves[0] runs backwards from the start: reverse it, then drop the forward half's duplicate start.
  b.rows.assign(halves[0].rows.rbegin(), halves[0].rows.rend());
  const bool same_start = !halves[0].rows.empty() && !halves[1].rows.empty();
  b.rows.insert(b.rows.end(), halves[1].rows.begin() + (same_start ? 1 : 0), halves[1].rows.end());
  for (const auto& h : halves)
    for (const auto& s : h.special_points) result.special_points.push_back({s, id});
  return b;
}

void bind_engine(py::module_& m) {
  py::class_<EngineBranch>(m, "EngineBranch", "One branch of a continued problem.")
      .def_readonly("id", &EngineBranch::id)
      .def_readonly("found_from", &EngineBranch::found_from)
      .def_readonly("ends", &EngineBranch::ends)
      .def("__len__", [](const EngineBranch& b) { return b.rows.size(); })
      .def_property_readonly("p", [](const EngineBranch& b) { return column<double>(b.rows, [](const auto& r) { return r.p; }); })
      .def_property_readonly("x", [](const EngineBranch& b) {
            const py::ssize_t d = b.rows.empty() ? 0 : b.rows[0].x.size();
            py::array_t<double> a({py::ssize_t(b.rows.size()), d});
            auto v = a.mutable_unchecked<2>();
            for (std::size_t i = 0; i < b.rows.size(); ++i)
              for (py::ssize_t j = 0; j < d; ++j) v(i, j) = b.rows[i].x(j);
            return a;
          }, "rows x d states")
      .def_property_readonly("stability", [](const EngineBranch& b) { return text_column(b.rows, [](const auto& r) { return ToString(r.stability); }); })
      .def_property_readonly("stable", [](const EngineBranch& b) {
            return column<bool>(b.rows, [](const auto& r) { return r.stability == continuation::Stability::kStable; }); })
      .def_property_readonly("unstable_count", [](const EngineBranch& b) { return column<int>(b.rows, [](const auto& r) { return r.unstable_count; }); })
      .def("__repr__", [](const EngineBranch& b) {
        return fmt::format("<EngineBranch {}: {} rows, from {}>", b.id, b.rows.size(), b.found_from);
      });

  py::class_<EngineResult, std::shared_ptr<EngineResult>>(m, "EngineResult", "Branches and special points of F(x, p) = 0.")
      .def_readonly("branches", &EngineResult::branches)
      .def_readonly("warnings", &EngineResult::warnings)
      .def_readonly("evaluations", &EngineResult::evaluations)
      .def_property_readonly("complete", [](const EngineResult& r) { return r.warnings.empty(); })
      .def_property_readonly("special_points", [](const EngineResult& r) {
            const auto& s = r.special_points;
            py::dict d;
            d["type"] = text_column(s, [](const auto& e) { return ToString(e.point.type); });
            d["p"] = column<double>(s, [](const auto& e) { return e.point.p; });
            py::array_t<double> x({py::ssize_t(s.size()), py::ssize_t(r.dimension)});
            auto v = x.mutable_unchecked<2>();
            for (std::size_t i = 0; i < s.size(); ++i)
              for (int j = 0; j < r.dimension; ++j) v(i, j) = s[i].point.x(j);
            d["x"] = x;
            d["branch"] = column<int>(s, [](const auto& e) { return e.branch; });
            d["converged"] = column<bool>(s, [](const auto& e) { return e.point.converged; });
            d["normal_form"] = column<double>(s, [](const auto& e) { return e.point.normal_form; });
            d["message"] = text_column(s, [](const auto& e) { return e.point.message; });
            return d;
          }, "type, p, x (k x d), branch, converged, normal_form (folds), message");

  m.def("continue_problem",
        [](py::object F, const Vector& x0, double p0, std::pair<double, double> window, py::object jacobian, double ds,
           double ds_min, double ds_max, int max_steps, double newton_tolerance, int max_newton_iterations,
           bool switch_branches, int max_branches, double fd_step) {
          if (!PyCallable_Check(F.ptr())) throw InputError("F must be callable as F(x, p)");
          if (!jacobian.is_none() && !PyCallable_Check(jacobian.ptr())) throw InputError("jacobian must be callable as jacobian(x, p)");
          if (x0.size() < 1) throw InputError("x0 must hold at least one number");
          if (!(fd_step > 0 && fd_step < 1)) throw InputError(fmt::format("fd_step {} must be in (0, 1)", fd_step));
          if (max_branches < 1) throw InputError(fmt::format("max_branches {} must be at least 1", max_branches));
          continuation::ContinuationOptions o;
          o.p_min = window.first, o.p_max = window.second;
          o.ds = ds, o.ds_min = ds_min, o.ds_max = ds_max, o.max_steps = max_steps;
          o.newton_tolerance = newton_tolerance, o.max_newton_iterations = max_newton_iterations;
          if (std::string why; !o.IsValid(&why)) throw InputError(why);
          if (!(p0 >= o.p_min && p0 <= o.p_max))
            throw InputError(fmt::format("p0 = {} is outside the window [{}, {}]", p0, o.p_min, o.p_max));
          PythonProblem problem(F, jacobian, int(x0.size()), fd_step);
          auto result = std::make_shared<EngineResult>();
          result->dimension = int(x0.size());
          {
            py::gil_scoped_release release;
            continuation::BranchStart start;
            start.x = x0, start.p = p0;
            std::deque<std::pair<continuation::BranchStart, std::string>> queue = {
                {start, fmt::format("start at p={:.6g}", p0)}};
            std::vector<continuation::SpecialPoint> switched;  // branch points already used
            while (!queue.empty() && int(result->branches.size()) < max_branches) {
              auto [s, origin] = queue.front();
              queue.pop_front();
              const std::size_t first_point = result->special_points.size();
              EngineBranch b = trace(problem, s, o, int(result->branches.size()), *result);
              b.found_from = origin;
              result->branches.push_back(std::move(b));
              if (!switch_branches) continue;
              for (std::size_t i = first_point; i < result->special_points.size(); ++i) {
                const auto& bp = result->special_points[i].point;
                if (bp.type != continuation::SpecialPointType::kBranchPoint) continue;
                const bool known = std::any_of(switched.begin(), switched.end(), [&](const continuation::SpecialPoint& q) {
                  // The same crossing seen from the other branch: at a pitchfork x is
                  // located only to ~sqrt(the p error), so x is compared loosely.
                  return std::abs(q.p - bp.p) <= 1e-6 * std::max(1.0, std::abs(bp.p)) &&
                         (q.x - bp.x).lpNorm<Eigen::Infinity>() <= 1e-4 * std::max(1.0, bp.x.lpNorm<Eigen::Infinity>());
                });
                if (known) continue;
                switched.push_back(bp);
                const continuation::BranchStart other = continuation::branch_switch(problem, bp, o);
                if (!other.converged) {
                  result->warnings.push_back(fmt::format("branch point at p={:.8g}: no switch ({})", bp.p, other.message));
                  continue;
                }
                queue.push_back({other, fmt::format("branch point at p={:.8g} of branch {}", bp.p, result->branches.size() - 1)});
              }
            }
            if (!queue.empty())
              result->warnings.push_back(fmt::format("max_branches = {} reached: {} branch(es) not continued", max_branches, queue.size()));
          }
          result->evaluations = problem.calls();
          return result;
        },
        py::arg("F"), py::arg("x0"), py::arg("p0"), py::arg("window"), py::arg("jacobian") = py::none(),
        py::arg("ds") = 0.01, py::arg("ds_min") = 1e-9, py::arg("ds_max") = 0.1, py::arg("max_steps") = 10000,
        py::arg("newton_tolerance") = 1e-10, py::arg("max_newton_iterations") = 10, py::arg("switch_branches") = true,
        py::arg("max_branches") = 16, py::arg("fd_step") = 1e-6,
        "continue_problem(F, x0, p0, window, jacobian=None, ...): branches and special points of F(x, p) = 0.\n"
        "F(x, p) -> array of len(x0); jacobian(x, p) -> d x (d+1) [F_x | F_p] (default: central differences).\n"
        "Continues through (x0, p0) both ways within window=(p_min, p_max) with the engine of continuation/\n"
        "(pseudo-arclength; folds, branch points, ends located), and switches branches at branch points.");
}

}  // namespace

void register_engine(py::module_& m) { bind_engine(m); }

}  // namespace waddington::python

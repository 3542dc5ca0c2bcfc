// The one table of Python keywords: each is a CLI option of apps/cmd_*.cpp or
// apps/reduced_options.cpp (today's names), set on the library's Options
// struct whose defaults the CLI shows. Checks that live in apps/ (choices
// given as text, options that exclude each other) are repeated here with the
// CLI's messages; every other check is the library's.
#include "python/keywords.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/option_text.hpp"
#include "sweep/grid.hpp"

namespace waddington::python {

std::string keyword_of(const std::string& option) {
  std::string k = option.substr(option.rfind("--", 0) == 0 ? 2 : 0);
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

// ---- the CLI's vocabulary: windows "A:B" and points "ALPHA,ELL" (lib/option_text.hpp, shared with the CLI)

namespace {

// A pair of numbers (A, B) as "A{sep}B", printed shortest round-trip; a text as it is.
std::string pair_text(py::handle h, const char* sep) {
  if (py::isinstance<py::str>(h)) return py::cast<std::string>(h);
  const auto [a, b] = py::cast<std::pair<double, double>>(h);
  return fmt::format("{}{}{}", a, sep, b);
}

}  // namespace

std::function<void(py::handle)> window_setter(std::string* text) {
  return [text](py::handle h) { *text = pair_text(h, ":"); };
}

std::function<void(py::handle)> point_setter(std::string* text) {
  return [text](py::handle h) { *text = pair_text(h, ","); };
}

void Keywords::add(const std::string& option, std::function<void(py::handle)> set) {
  entries_.push_back({keyword_of(option), option, std::move(set)});
}

void Keywords::apply(const py::kwargs& kwargs) {
  for (const auto& [key, value] : kwargs) {
    const std::string name = py::cast<std::string>(key);
    const auto e = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& x) { return x.keyword == name; });
    if (e == entries_.end())
      throw py::type_error(fmt::format("{}() got an unexpected keyword argument '{}'; expected one of: {}", function_, name,
                                       fmt::join(names(), ", ")));
    if (value.is_none()) continue;  // None: the default
    try {
      e->set(value);
    } catch (const py::cast_error&) {
      throw py::type_error(fmt::format("{}() keyword '{}' ({}): cannot use a value of type {}", function_, name,
                                       e->option, py::str(py::type::of(value).attr("__name__")).cast<std::string>()));
    }
    given_.push_back(e->option);
  }
}

bool Keywords::given(const std::string& option) const {
  return std::find(given_.begin(), given_.end(), option) != given_.end();
}

std::vector<std::string> Keywords::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.keyword);
  return out;
}

std::vector<std::pair<std::string, std::string>> Keywords::table() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e.keyword, e.option);
  return out;
}

// ---- reduced models (apps/reduced_options.cpp)

void ReducedKeywords::add_to(Keywords& k) {
  auto& p = setup.parameters;
  k.add_field("--AA", &p.AA);
  k.add_field("--AB", &p.AB);
  k.add_field("--BB", &p.BB);
  k.add_field("--images", &setup.images);
  k.add("--pair", [this](py::handle h) {
    if (py::isinstance<py::str>(h)) pair = py::cast<std::string>(h);
    else pair = fmt::format("{}", fmt::join(py::cast<std::vector<int>>(h), ","));
  });
  k.add_field("--n", &p.n);
  k.add("--m", [&p](py::handle h) { p.m = py::cast<double>(h); });
  k.add_field("--T", &p.T);
  k.add("--Tr", [this](py::handle h) { setup.rescaled_temperature = py::cast<double>(h); });
  k.add_field("--memories-identical", &p.identical_memories);
  k.add_field("--classes", &p.classes);
  k.add_field("--chart", &p.chart);
  k.add_field("--same-class", &p.same_class);
}

reduced::TwoMemorySetup ReducedKeywords::make(const Keywords& k) const {
  for (const char* dot : {"--AA", "--AB", "--BB"})
    if (k.given("--images") && k.given(dot)) throw InputError(fmt::format("--images excludes {}", dot));
  if (k.given("--Tr") && k.given("--T")) throw InputError("--Tr excludes --T");
  if (k.given("--pair") && !k.given("--images")) throw InputError("--pair requires --images");
  if (k.given("--images") && !k.given("--pair")) throw InputError("--images requires --pair");
  reduced::TwoMemorySetupOptions o = setup;
  if (k.given("--pair")) {
    const std::string& text = pair;
    const std::vector<int> rows = parse_int_list(text, "--pair");
    if (rows.size() != 2) throw InputError(fmt::format("--pair '{}': expected two row indices I,J", text));
    o.rows = {rows[0], rows[1]};
  }
  return reduced::two_memory_setup(o);
}

// ---- fixed-points (apps/cmd_fixed_points.cpp)

void fixed_points_keywords(Keywords& k, ReducedKeywords& r, FixedPointKeywords& f) {
  r.add_to(k);
  k.add("--alpha-range", window_setter(&f.alpha_range));
  k.add_field("--search-alpha-cells", &f.options.seed_alpha_cells);
  k.add_field("--search-ell-cells", &f.options.seed_ell_cells);
}

reduced::FixedPointOptions check_fixed_points(const FixedPointKeywords& f) {
  reduced::FixedPointOptions o = f.options;
  std::tie(o.alpha_min, o.alpha_max) = parse_window(f.alpha_range, "--alpha-range");
  return o;
}

// ---- continue (apps/cmd_continue.cpp)

void diagram_keywords(Keywords& k, ReducedKeywords& r, DiagramKeywords& d) {
  r.add_to(k);
  auto& o = d.options;
  k.add_field("--param", &d.param);
  k.add("--n-range", window_setter(&d.n_range));
  k.add("--T-range", window_setter(&d.T_range));
  k.add("--Tr-range", window_setter(&d.Tr_range));
  // The module's short form of the window of --param (the CLI's hidden --from A --to B).
  k.add("--window", [&d](py::handle h) {
    d.window = py::cast<std::pair<double, double>>(h);
    d.window_given = true;
  });
  k.add_field("--method", &d.method);
  k.add_field("--search-values", &o.seed_values);
  k.add_field("--no-count-audit", &d.no_count_audit);
  k.add_field("--no-fold-check", &d.no_fold_check);
  k.add_field("--system", &d.system);
  k.add("--start", point_setter(&d.start));
  k.add_field("--ds-max", &o.continuation.ds_max);
  k.add_field("--max-steps", &o.continuation.max_steps);
  k.add("--alpha-range", window_setter(&d.alpha_range));
  k.add_field("--param-steps", &o.param_steps);
  k.add_field("--grid-resolution", &o.grid_resolution);
}

reduced::DiagramMethod check_diagram(const Keywords& k, DiagramKeywords& d) {
  if (!FromString(d.param, &d.options.parameter)) throw InputError(fmt::format("--param '{}': expected n or T", d.param));
  reduced::DiagramMethod method;
  if (!FromString(d.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", d.method));
  if (d.system != "reduced" && d.system != "k2")
    throw InputError(fmt::format("--system '{}': expected reduced or k2", d.system));
  if (d.system == "k2" && method != reduced::DiagramMethod::kContinuation)
    throw InputError("--system k2 needs --method continuation (the split branches start at located branch points)");
  if (!d.start.empty()) {
    const auto [alpha, ell] = parse_point(d.start, "--start");
    d.options.start = std::array<double, 2>{alpha, ell};
  }
  const bool in_n = d.options.parameter == reduced::BifurcationParameter::kN;
  if (in_n && k.given("--n"))
    throw InputError("--n does not apply to continue --param n: n is the continued parameter (its window is --n-range)");
  if (!in_n && (k.given("--T") || k.given("--Tr")))
    throw InputError("--T/--Tr do not apply to continue --param T: T is the continued parameter (its window is "
                     "--T-range or --Tr-range)");
  if (in_n && !(d.T_range.empty() && d.Tr_range.empty()))
    throw InputError("--T-range/--Tr-range do not apply to continue --param n: the window of n is --n-range");
  if (!in_n && !d.n_range.empty())
    throw InputError("--n-range does not apply to continue --param T: the window of T is --T-range or --Tr-range");
  if (!d.T_range.empty() && !d.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  d.options.count_audit = !d.no_count_audit;
  d.options.fold_curve_check = !d.no_fold_check;
  return method;
}

void diagram_windows(DiagramKeywords& d, double N) {
  auto& o = d.options;
  if (o.parameter == reduced::BifurcationParameter::kN)
    std::tie(o.from, o.to) = d.n_range.empty() ? std::pair{1.0, 60.0} : parse_window(d.n_range, "--n-range");
  else if (!d.T_range.empty()) std::tie(o.from, o.to) = parse_window(d.T_range, "--T-range");
  else {
    const auto [lo, hi] = d.Tr_range.empty() ? std::pair{0.8, 1.15} : parse_window(d.Tr_range, "--Tr-range");
    o.from = lo * N, o.to = hi * N;
  }
  if (d.window_given) std::tie(o.from, o.to) = d.window;
  if (!(o.from < o.to))
    throw InputError(fmt::format("the {} window [{}, {}] is empty or inverted (need A < B)", d.param, o.from, o.to));
  std::tie(o.alpha_min, o.alpha_max) = parse_window(d.alpha_range, "--alpha-range");
}

// ---- fold-curve (apps/cmd_fold_curve.cpp)

void fold_keywords(Keywords& k, ReducedKeywords& r, FoldKeywords& f) {
  r.add_to(k);
  k.add("--n-range", window_setter(&f.n_range));
  k.add("--T-range", window_setter(&f.T_range));
  k.add("--Tr-range", window_setter(&f.Tr_range));
  k.add_field("--method", &f.method);
  k.add_field("--search-T-values", &f.options.seed_T_values);
  k.add_field("--ds-max", &f.options.continuation.ds_max);
  k.add_field("--map-cells", &f.map_cells);
  k.add_field("--map-check-rows", &f.options.map_check_rows);
  k.add_field("--grid-resolution", &f.options.grid_resolution);
  k.add("--report-Tr", [&f](py::handle h) {
    f.report_Tr = py::isinstance<py::float_>(h) || py::isinstance<py::int_>(h) ? std::vector<double>{py::cast<double>(h)}
                                                                              : py::cast<std::vector<double>>(h);
  });
}

reduced::DiagramMethod check_fold(const Keywords& k, FoldKeywords& f) {
  reduced::DiagramMethod method;
  if (!FromString(f.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", f.method));
  if (k.given("--n")) throw InputError("--n does not apply to fold-curve: the n window is --n-range");
  if (k.given("--T") || k.given("--Tr"))
    throw InputError("--T/--Tr do not apply to fold-curve: the T window is --T-range or --Tr-range");
  return method;
}

void fold_windows(FoldKeywords& f, double N) {
  auto& o = f.options;
  std::tie(o.n_min, o.n_max) = parse_window(f.n_range, "--n-range");
  if (!f.T_range.empty() && !f.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  if (f.T_range.empty()) {  // default: T_r 0.8:1.15, as continue --param T
    const auto [lo, hi] = f.Tr_range.empty() ? std::pair{0.8, 1.15} : parse_window(f.Tr_range, "--Tr-range");
    o.T_min = lo * N, o.T_max = hi * N;
  } else {
    std::tie(o.T_min, o.T_max) = parse_window(f.T_range, "--T-range");
  }
  if (f.map_cells.size() != 2) throw InputError("--map-cells expects N_CELLS,T_CELLS");
  o.map_n_cells = f.map_cells[0], o.map_T_cells = f.map_cells[1];
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
}

// ---- compare and eigencheck (apps/cmd_compare.cpp, apps/cmd_eigencheck.cpp)

void compare_keywords(Keywords& k, ReducedKeywords& r, CompareKeywords& c) {
  r.add_to(k);
  k.add("--start", point_setter(&c.start));
  k.add_field("--split", &c.options.split);
  k.add_field("--split-threshold", &c.options.split_threshold);
  k.add_field("--epochs", &c.options.epochs);
  k.add_field("--rate", &c.options.rate);
}

void check_no_identical(const Keywords& k, const char* command) {
  if (k.given("--memories-identical"))
    throw InputError(fmt::format("--memories-identical does not apply to {}: the full network has two memories, so the "
                                 "reduced flow is the k = 2 one (T_eff = T / 2^(1/n))", command));
}

void eigencheck_keywords(Keywords& k, ReducedKeywords& r, compare::EigencheckOptions& o) {
  r.add_to(k);
  k.add_field("--full", &o.full);
  k.add_field("--distance", &o.distance);
  k.add_field("--full-distance", &o.full_distance);
  k.add_field("--window", &o.window_decades);
  k.add_field("--fit-samples", &o.fit_samples);
  k.add_field("--rate", &o.rate);
  k.add_field("--max-full-epochs", &o.max_full_epochs);
}

// ---- train (apps/cmd_train.cpp); images and labels are the function's arguments

void train_keywords(Keywords& k, TrainKeywords& t) {
  TrainingRunOptions& r = t.run;
  TrainerOptions& o = r.trainer;
  k.add_field("--synthetic", &r.synthetic);
  k.add_field("--test-images", &r.test_images);
  k.add_field("--test-labels", &r.test_labels);
  k.add_field("--test-every", &o.test_every);
  k.add("--digits", [&r](py::handle h) {
    if (py::isinstance<py::str>(h)) r.digits = py::cast<std::string>(h);
    else r.digits = fmt::format("{}", fmt::join(py::cast<std::vector<int>>(h), ","));
  });
  k.add_field("--per-class", &r.per_class);
  k.add_field("--sample", &t.sample);
  k.add_field("--sample-seed", &r.sample_seed);
  k.add_field("--memories", &o.memories);
  k.add_field("--n", &o.n);
  k.add("--m", [&o](py::handle h) { o.m = py::cast<double>(h); });
  k.add_field("--T", &o.temperature);
  k.add("--Tr", [&r](py::handle h) { r.rescaled_temperature = py::cast<double>(h); });
  k.add_field("--rate", &o.rate);
  k.add_field("--momentum", &o.momentum);
  k.add_field("--epochs", &o.epochs);
  k.add_field("--minibatch", &o.minibatch);
  k.add_field("--init-mean", &o.init_mean);
  k.add_field("--init-std", &o.init_std);
  k.add_field("--seed", &o.seed);
  k.add_field("--init-memories", &r.init_memories);
  k.add_field("--init-labels", &r.init_labels);
  k.add_field("--bound", &t.bound);
  k.add_field("--noise", &o.noise_std);
  k.add_field("--save-epochs", &r.save_epochs);
  k.add_field("--no-snapshot-cap", &r.no_snapshot_cap);
  k.add_field("--threads", &t.threads);
  k.add_field("--out", &r.out);
}

void check_train(TrainKeywords& t) {
  if (!FromString(t.bound, &t.run.trainer.bound)) throw InputError(fmt::format("--bound '{}': expected normalize or clip", t.bound));
  if (t.sample != "first" && t.sample != "random") throw InputError(fmt::format("--sample '{}': expected first or random", t.sample));
  t.run.random_sample = t.sample == "random";
  if (t.threads < 1 || t.threads > 1024) throw InputError(fmt::format("thread count {} must be in 1..1024", t.threads));
}

void analyze_keywords(Keywords& k, MemoryAnalysisOptions& o) { k.add_field("--tolerance", &o.tolerance); }

}  // namespace waddington::python

namespace waddington::python {

void portrait_keywords(Keywords& k, ReducedKeywords& r, PortraitKeywords& p) {
  r.add_to(k);
  // --start ALPHA,ELL, repeatable: one point (a pair or a text) or a list of them.
  k.add("--start", [&p](py::handle h) {
    p.starts.clear();
    bool one = py::isinstance<py::str>(h);
    if (!one && py::isinstance<py::sequence>(h) && py::len(h) > 0) {
      const py::object first = py::reinterpret_borrow<py::sequence>(h)[0];
      one = py::isinstance<py::float_>(first) || py::isinstance<py::int_>(first);
    }
    if (one) p.starts.push_back(pair_text(h, ","));
    else
      for (const auto item : py::cast<py::sequence>(h)) p.starts.push_back(pair_text(item, ","));
  });
  k.add_field("--duration", &p.epochs);
  k.add_field("--rate", &p.rate);
  k.add("--alpha-range", window_setter(&p.alpha_range));
  k.add_field("--cells", &p.options.nullcline_cells);
  k.add_field("--flow-lines", &p.options.flow_starts);
}

std::vector<std::pair<double, double>> portrait_starts(PortraitKeywords& p) {
  std::tie(p.options.alpha_min, p.options.alpha_max) = parse_window(p.alpha_range, "--alpha-range");
  if (std::string why; !p.options.IsValid(&why)) throw InputError(why);
  std::vector<std::pair<double, double>> out;
  for (const auto& s : p.starts) out.push_back(parse_point(s, "--start"));
  return out;
}

double portrait_time(const PortraitKeywords& p) {
  if (!(p.rate > 0 && std::isfinite(p.rate))) throw InputError(fmt::format("--rate {} must be positive", p.rate));
  if (!(p.epochs > 0 && std::isfinite(p.epochs))) throw InputError(fmt::format("--duration {} must be positive", p.epochs));
  const double t_max = p.epochs * p.rate;  // time = duration (epochs) x rate
  if (!(t_max > 0 && std::isfinite(t_max))) throw InputError(fmt::format("--t-max {} must be positive", t_max));
  return t_max;
}

}  // namespace waddington::python

namespace waddington::python {

void transition_keywords(Keywords& k, TransitionKeywords& t) {
  const auto text_or_list = [](std::string* text, const char* separator) {
    return [text, separator](py::handle h) {
      if (py::isinstance<py::str>(h)) *text = py::cast<std::string>(h);
      else *text = fmt::format("{}", fmt::join(py::cast<std::vector<double>>(h), separator));
    };
  };
  k.add_field("--images", &t.images);
  k.add_field("--labels", &t.labels);
  k.add("--pair", text_or_list(&t.pair, ","));
  k.add("--class-means", text_or_list(&t.class_means, ","));
  k.add_field("--kind", &t.kind);
  k.add("--n-list", text_or_list(&t.n_list, ","));
  k.add("--n-range", window_setter(&t.n_range));
  k.add_field("--n-step", &t.n_step);
  k.add("--Tr-range", window_setter(&t.Tr_range));
  k.add_field("--Tr-step", &t.Tr_step);
  k.add("--m", [&t](py::handle h) { t.options.m = py::cast<double>(h); });
  k.add_field("--threshold", &t.options.threshold);
  k.add_field("--crossing", &t.crossing);
}

std::string transition_n_spec(const Keywords& k, const TransitionKeywords& t) {
  // --n-range A:B with --n-step S (an older A:B:S is still read); the windows are checked as everywhere.
  std::string n_spec = t.n_range;
  if (std::count(n_spec.begin(), n_spec.end(), ':') == 2) {
    if (k.given("--n-step")) throw InputError("give the step of n once: --n-range A:B --n-step S");
  } else {
    parse_window(n_spec, "--n-range");
    if (!(t.n_step > 0 && std::isfinite(t.n_step))) throw InputError(fmt::format("--n-step {} must be positive", t.n_step));
    n_spec += ":" + sweep::format_value(t.n_step);
  }
  parse_window(t.Tr_range, "--Tr-range");
  return n_spec;
}

}  // namespace waddington::python

namespace waddington::python {

std::vector<std::pair<std::string, std::string>> keyword_table(const std::string& function) {
  Keywords k(function);
  ReducedKeywords r;
  FixedPointKeywords fo;
  DiagramKeywords d;
  FoldKeywords f;
  PortraitKeywords p;
  CompareKeywords c;
  compare::EigencheckOptions e;
  TrainKeywords t;
  MemoryAnalysisOptions a;
  TransitionKeywords l;
  if (function == "fixed_points") fixed_points_keywords(k, r, fo);
  else if (function == "continue_diagram") diagram_keywords(k, r, d);
  else if (function == "fold_curves") fold_keywords(k, r, f);
  else if (function == "phase_portrait") portrait_keywords(k, r, p);
  else if (function == "compare") compare_keywords(k, r, c);
  else if (function == "eigencheck") eigencheck_keywords(k, r, e);
  else if (function == "train") train_keywords(k, t);
  else if (function == "analyze") analyze_keywords(k, a);
  else if (function == "transition_line") transition_keywords(k, l);
  else throw InputError("function '" + function + "': no such function");
  return k.table();
}

}  // namespace waddington::python

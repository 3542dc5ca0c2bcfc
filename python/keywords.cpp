// The one table of Python keywords: each is a CLI option of apps/cmd_*.cpp or
// apps/reduced_options.cpp (today's names), set on the library's Options
// struct whose defaults the CLI shows. Checks that live in apps/ (choices
// given as text, options that exclude each other) are repeated here with the
// CLI's messages; every other check is the library's.
#include "python/keywords.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <sstream>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"

namespace waddington::python {

std::string keyword_of(const std::string& option) {
  std::string k = option.substr(option.rfind("--", 0) == 0 ? 2 : 0);
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
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

void fixed_points_keywords(Keywords& k, ReducedKeywords& r, reduced::FixedPointOptions& o) {
  r.add_to(k);
  k.add_field("--alpha-min", &o.alpha_min);
  k.add_field("--alpha-max", &o.alpha_max);
  k.add_field("--seed-alpha", &o.seed_alpha_cells);
  k.add_field("--seed-ell", &o.seed_ell_cells);
}

// ---- continue (apps/cmd_continue.cpp)

void diagram_keywords(Keywords& k, ReducedKeywords& r, DiagramKeywords& d) {
  r.add_to(k);
  auto& o = d.options;
  k.add_field("--param", &d.param);
  // --from/--to as one window (from, to).
  k.add("--window", [&o](py::handle h) { std::tie(o.from, o.to) = py::cast<std::pair<double, double>>(h); });
  k.add_field("--method", &d.method);
  k.add_field("--seed-values", &o.seed_values);
  k.add("--start", [&o](py::handle h) {
    const auto v = py::cast<std::vector<double>>(h);
    if (v.size() != 2) throw InputError("--start expects two numbers: ALPHA,ELL");
    o.start = std::array<double, 2>{v[0], v[1]};
  });
  k.add_field("--ds-max", &o.continuation.ds_max);
  k.add_field("--max-steps", &o.continuation.max_steps);
  k.add_field("--alpha-min", &o.alpha_min);
  k.add_field("--alpha-max", &o.alpha_max);
  k.add_field("--param-steps", &o.param_steps);
  k.add_field("--grid-resolution", &o.grid_resolution);
}

reduced::DiagramMethod check_diagram(const Keywords& k, DiagramKeywords& d) {
  if (!FromString(d.param, &d.options.parameter)) throw InputError(fmt::format("--param '{}': expected n or T", d.param));
  reduced::DiagramMethod method;
  if (!FromString(d.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", d.method));
  if (d.options.parameter == reduced::BifurcationParameter::kN && k.given("--n"))
    throw InputError("--n does not apply to continue --param n: n is the continued parameter (--from/--to)");
  if (d.options.parameter == reduced::BifurcationParameter::kT && (k.given("--T") || k.given("--Tr")))
    throw InputError("--T/--Tr do not apply to continue --param T: T is the continued parameter (--from/--to)");
  return method;
}

// ---- fold-curve (apps/cmd_fold_curve.cpp)

namespace {

// A window given as (A, B) or "A:B", as the text the CLI parses.
std::function<void(py::handle)> range_setter(std::string* text) {
  return [text](py::handle h) {
    if (py::isinstance<py::str>(h)) *text = py::cast<std::string>(h);
    else {
      const auto [a, b] = py::cast<std::pair<double, double>>(h);
      *text = fmt::format("{}:{}", a, b);
    }
  };
}

// "A:B" as [A, B], with the CLI's messages (apps/reduced_options.cpp parse_range).
std::pair<double, double> parse_range(const std::string& text, const char* option) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    std::size_t used_a = 0, used_b = 0;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    const double lo = std::stod(a, &used_a), hi = std::stod(b, &used_b);
    if (used_a != a.size() || used_b != b.size()) throw std::invalid_argument("trailing characters");
    if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
      throw InputError(fmt::format("{} {}: empty or inverted range (need A < B)", option, text));
    return {lo, hi};
  } catch (const std::logic_error&) {
    throw InputError(fmt::format("{} '{}': expected A:B with two numbers", option, text));
  }
}

}  // namespace

void fold_keywords(Keywords& k, ReducedKeywords& r, FoldKeywords& f) {
  r.add_to(k);
  k.add("--n-range", range_setter(&f.n_range));
  k.add("--T-range", range_setter(&f.T_range));
  k.add("--Tr-range", range_setter(&f.Tr_range));
  k.add_field("--method", &f.method);
  k.add_field("--seed-T-values", &f.options.seed_T_values);
  k.add_field("--ds-max", &f.options.continuation.ds_max);
  k.add_field("--map-cells", &f.map_cells);
  k.add_field("--grid-resolution", &f.options.grid_resolution);
}

reduced::DiagramMethod check_fold(const Keywords& k, FoldKeywords& f, double N) {
  reduced::DiagramMethod method;
  if (!FromString(f.method, &method)) throw InputError(fmt::format("--method '{}': expected continuation or grid", f.method));
  if (k.given("--n")) throw InputError("--n does not apply to fold-curve: the n window is --n-range");
  if (k.given("--T") || k.given("--Tr"))
    throw InputError("--T/--Tr do not apply to fold-curve: the T window is --T-range or --Tr-range");
  auto& o = f.options;
  std::tie(o.n_min, o.n_max) = parse_range(f.n_range, "--n-range");
  if (!f.T_range.empty() && !f.Tr_range.empty()) throw InputError("give --T-range or --Tr-range, not both");
  if (!f.Tr_range.empty()) {
    const auto [lo, hi] = parse_range(f.Tr_range, "--Tr-range");
    o.T_min = lo * N, o.T_max = hi * N;
  } else if (!f.T_range.empty()) {
    std::tie(o.T_min, o.T_max) = parse_range(f.T_range, "--T-range");
  }
  if (f.map_cells.size() != 2) throw InputError("--map-cells expects N_CELLS,T_CELLS");
  o.map_n_cells = f.map_cells[0], o.map_T_cells = f.map_cells[1];
  if (std::string why; !o.IsValid(&why)) throw InputError(why);
  return method;
}

// ---- compare and eigencheck (apps/cmd_compare.cpp, apps/cmd_eigencheck.cpp)

void compare_keywords(Keywords& k, ReducedKeywords& r, CompareKeywords& c) {
  r.add_to(k);
  k.add("--start", [&c](py::handle h) {
    if (py::isinstance<py::str>(h)) c.start = py::cast<std::string>(h);
    else c.start = fmt::format("{}", fmt::join(py::cast<std::vector<double>>(h), ","));
  });
  k.add_field("--split", &c.options.split);
  k.add_field("--split-threshold", &c.options.split_threshold);
  k.add_field("--epochs", &c.options.epochs);
  k.add_field("--rate", &c.options.rate);
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
  k.add("--trajectories", [&p](py::handle h) {
    if (py::isinstance<py::str>(h)) p.trajectories = py::cast<std::string>(h);
    else {
      std::vector<std::string> items;
      for (const auto& [a, l] : py::cast<std::vector<std::pair<double, double>>>(h))
        items.push_back(fmt::format("{},{}", a, l));
      p.trajectories = fmt::format("{}", fmt::join(items, ";"));
    }
  });
  k.add_field("--t-max", &p.t_max);
  k.add_field("--alpha-min", &p.options.alpha_min);
  k.add_field("--alpha-max", &p.options.alpha_max);
  k.add_field("--grid", &p.options.nullcline_cells);
  k.add_field("--flow-lines", &p.options.flow_starts);
}

std::vector<std::pair<double, double>> portrait_starts(const PortraitKeywords& p) {
  std::vector<std::pair<double, double>> out;
  if (p.trajectories.empty()) return out;
  std::stringstream in(p.trajectories);
  std::string item;
  while (std::getline(in, item, ';')) {
    double a, l;
    char comma;
    std::stringstream one(item);
    if (!(one >> a >> comma >> l) || comma != ',' || !(one >> std::ws).eof())
      throw InputError(fmt::format("--trajectories '{}': expected alpha,ell;alpha,ell;...", p.trajectories));
    out.emplace_back(a, l);
  }
  return out;
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
  k.add_field("--n-range", &t.n_range);
  k.add("--Tr-range", text_or_list(&t.Tr_range, ":"));
  k.add_field("--Tr-step", &t.Tr_step);
  k.add("--m", [&t](py::handle h) { t.options.m = py::cast<double>(h); });
  k.add_field("--threshold", &t.options.threshold);
  k.add_field("--crossing", &t.crossing);
}

}  // namespace waddington::python

namespace waddington::python {

std::vector<std::pair<std::string, std::string>> keyword_table(const std::string& function) {
  Keywords k(function);
  ReducedKeywords r;
  reduced::FixedPointOptions fo;
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

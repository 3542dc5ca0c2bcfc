#include "compare/transition_samples.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"

namespace waddington::compare {
namespace {

using reduced::TransitionKind;

void check_two(const std::vector<int>& values, const char* option) {
  if (values.size() != 2) throw InputError(fmt::format("{}: expected two numbers", option));
}

Eigen::RowVectorXd class_mean(const Eigen::MatrixXd& images, const std::vector<int>& labels, int digit,
                              const std::string& source) {
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(images.cols());
  int count = 0;
  for (Eigen::Index r = 0; r < images.rows(); ++r)
    if (labels[std::size_t(r)] == digit) sum += images.row(r), ++count;
  if (count == 0) throw InputError(fmt::format("--class-means: no image of class {} in '{}'", digit, source));
  return sum / count;
}

}  // namespace

TransitionExperiment select_transition_samples(TransitionKind kind, const Eigen::MatrixXd& images,
                                               const std::vector<int>& labels, const std::vector<int>& pair,
                                               const std::vector<int>& class_means, const std::string& source) {
  if (pair.empty() == class_means.empty()) throw InputError("give exactly one of --pair I,J or --class-means a,b");
  if (!labels.empty() && Eigen::Index(labels.size()) != images.rows())
    throw InputError(fmt::format("{} labels for {} images", labels.size(), images.rows()));
  TransitionExperiment e;
  e.kind = kind;
  e.samples.resize(2, images.cols());
  if (!pair.empty()) {
    check_two(pair, "--pair");
    for (int k = 0; k < 2; ++k) {
      if (pair[k] < 0 || pair[k] >= images.rows())
        throw InputError(fmt::format("--pair: row {} out of range: '{}' has {} images", pair[k], source, images.rows()));
      e.samples.row(k) = images.row(pair[k]);
    }
    if (pair[0] == pair[1]) throw InputError("--pair: the two rows must differ");
    e.classes = labels.empty() ? std::array<int, 2>{0, kind == TransitionKind::kInter ? 1 : 0}
                               : std::array<int, 2>{labels[std::size_t(pair[0])], labels[std::size_t(pair[1])]};
    e.description = fmt::format("rows {},{} of {}", pair[0], pair[1], source);
  } else {
    check_two(class_means, "--class-means");
    if (kind != TransitionKind::kInter) throw InputError("--class-means needs --kind inter");
    if (labels.empty()) throw InputError("--class-means needs --labels FILE|blocks:K");
    for (int k = 0; k < 2; ++k) e.samples.row(k) = class_mean(images, labels, class_means[k], source);
    e.classes = {class_means[0], class_means[1]};
    e.description = fmt::format("means of classes {},{} of {}", class_means[0], class_means[1], source);
  }
  if (kind == TransitionKind::kIntra && e.classes[0] != e.classes[1])
    throw InputError(fmt::format("--kind intra needs two samples of one class; --pair gives classes {} and {}",
                                 e.classes[0], e.classes[1]));
  if (kind == TransitionKind::kInter && e.classes[0] == e.classes[1])
    throw InputError(fmt::format("--kind inter needs two classes; both samples are of class {}", e.classes[0]));
  return e;
}

sweep::Grid transition_grid(const std::string& n_spec, const std::string& Tr_range, double Tr_step) {
  sweep::Axis n{"n", n_spec, sweep::parse_values(n_spec, "n values")};
  if (std::count(Tr_range.begin(), Tr_range.end(), ':') != 1)
    throw InputError(fmt::format("--Tr-range '{}': expected A:B", Tr_range));
  const std::string Tr_spec = fmt::format("{}:{}", Tr_range, sweep::format_value(Tr_step));
  sweep::Axis Tr{"Tr", Tr_spec, sweep::parse_values(Tr_spec, "--Tr-range with --Tr-step")};
  return sweep::Grid({n, Tr});
}

TransitionExperiment load_transition_experiment(reduced::TransitionKind kind, const std::string& images,
                                                const std::string& labels, const std::string& pair,
                                                const std::string& class_means, std::vector<InputFile>* inputs) {
  const Eigen::MatrixXd pixels = load_images(images);
  inputs->push_back({"images", images});
  std::vector<int> classes;
  if (!labels.empty()) classes = load_labels(labels, pixels.rows());
  if (!labels.empty() && labels.rfind("blocks:", 0) != 0) inputs->push_back({"labels", labels});
  const auto list = [](const std::string& text, const char* option) {
    return text.empty() ? std::vector<int>{} : parse_int_list(text, option);
  };
  return select_transition_samples(kind, pixels, classes, list(pair, "--pair"), list(class_means, "--class-means"),
                                   images);
}

sweep::Grid transition_grid(const std::string& n_list, const std::string& n_range, const std::string& Tr_range,
                            double Tr_step) {
  if (!n_list.empty() && n_list.find(':') != std::string::npos)
    throw InputError("--n-list takes a list a,b,c; use --n-range A:B with --n-step S");
  return transition_grid(n_list.empty() ? n_range : n_list, Tr_range, Tr_step);
}

}  // namespace waddington::compare

#include "lib/split_events.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "lib/errors.hpp"

namespace waddington {

bool SplitOptions::IsValid(std::string* why) const {
  if (distance > 0 && std::isfinite(distance)) return true;
  if (why) *why = fmt::format("split distance {} must be positive and finite", distance);
  return false;
}

bool SplitEvent::within_digit() const {
  for (const SplitChild& child : children)
    if (child.final_digits.size() != 1 || child.final_digits != children.front().final_digits) return false;
  return true;
}

std::vector<int> trajectory_groups(const Eigen::MatrixXd& alphabar, double distance) {
  const auto k = std::size_t(alphabar.rows());
  std::vector<std::size_t> parent(k);
  std::iota(parent.begin(), parent.end(), 0);
  const auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j)
      if ((alphabar.row(Eigen::Index(i)) - alphabar.row(Eigen::Index(j))).norm() <= distance) {
        const std::size_t a = root(i), b = root(j);
        parent[std::max(a, b)] = std::min(a, b);  // the root is the smallest member
      }
  std::vector<int> group(k);
  std::map<std::size_t, int> number;
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t r = root(i);
    const auto it = number.emplace(r, int(number.size())).first;
    group[i] = it->second;
  }
  return group;
}

std::vector<SplitEvent> find_splits(const std::vector<int>& epochs, const std::vector<Eigen::MatrixXd>& alphabar,
                                    const std::vector<int>& final_digits, const SplitOptions& options) {
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  if (epochs.size() != alphabar.size())
    throw InputError(fmt::format("splits: {} epochs but {} alphabar matrices", epochs.size(), alphabar.size()));
  for (std::size_t e = 0; e < alphabar.size(); ++e) {
    if (alphabar[e].rows() != Eigen::Index(final_digits.size()) || alphabar[e].cols() != alphabar.front().cols())
      throw InputError(fmt::format("splits: alphabar at epoch {} is {} x {}, expected {} memories x {} classes",
                                   epochs[e], alphabar[e].rows(), alphabar[e].cols(), final_digits.size(),
                                   alphabar.front().cols()));
    if (e > 0 && epochs[e] <= epochs[e - 1]) throw InputError("splits: epochs must increase");
  }
  std::vector<SplitEvent> events;
  if (alphabar.empty()) return events;
  std::vector<int> before = trajectory_groups(alphabar.front(), options.distance);
  for (std::size_t e = 1; e < alphabar.size(); ++e) {
    const std::vector<int> after = trajectory_groups(alphabar[e], options.distance);
    const int groups_before = before.empty() ? 0 : *std::max_element(before.begin(), before.end()) + 1;
    for (int g = 0; g < groups_before; ++g) {
      SplitEvent event;
      event.epoch_before = epochs[e - 1];
      event.epoch = epochs[e];
      std::map<int, std::vector<int>> parts;  // group after -> members (ordered by smallest member below)
      for (std::size_t mu = 0; mu < before.size(); ++mu)
        if (before[mu] == g) event.parent.push_back(int(mu)), parts[after[mu]].push_back(int(mu));
      if (parts.size() < 2) continue;
      for (auto& [group, members] : parts) {
        SplitChild child;
        child.members = members;
        Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(alphabar[e].cols());
        std::set<int> digits;
        for (int mu : members) mean += alphabar[e].row(mu), digits.insert(final_digits[std::size_t(mu)]);
        Eigen::Index best = 0;
        mean.maxCoeff(&best);
        child.dominant_digit = int(best);
        child.final_digits.assign(digits.begin(), digits.end());
        event.children.push_back(std::move(child));
      }
      std::sort(event.children.begin(), event.children.end(),
                [](const auto& a, const auto& b) { return a.members.front() < b.members.front(); });
      events.push_back(std::move(event));
    }
    before = after;
  }
  return events;
}

std::string splits_csv(const std::vector<SplitEvent>& events) {
  std::string csv = "split,epoch_before,epoch,parent_size,child,child_size,dominant_digit,final_digits,within_digit,members\n";
  for (std::size_t s = 0; s < events.size(); ++s)
    for (std::size_t c = 0; c < events[s].children.size(); ++c) {
      const SplitChild& child = events[s].children[c];
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", s, events[s].epoch_before, events[s].epoch,
                         events[s].parent.size(), c, child.members.size(), child.dominant_digit,
                         fmt::join(child.final_digits, " "), events[s].within_digit() ? 1 : 0,
                         fmt::join(child.members, " "));
    }
  return csv;
}

std::string describe_splits(const std::vector<SplitEvent>& events, std::size_t max_children) {
  std::string out;
  for (const SplitEvent& event : events) {
    std::vector<const SplitChild*> children;
    for (const SplitChild& child : event.children) children.push_back(&child);
    std::stable_sort(children.begin(), children.end(),
                     [](const auto* a, const auto* b) { return a->members.size() > b->members.size(); });
    std::vector<std::string> parts;
    std::size_t rest = 0;
    for (std::size_t c = 0; c < children.size(); ++c) {
      if (c >= max_children) {
        rest += children[c]->members.size();
        continue;
      }
      parts.push_back(fmt::format("{} ({}; becomes {})", children[c]->members.size(), children[c]->dominant_digit,
                                  fmt::join(children[c]->final_digits, " ")));
    }
    if (children.size() > max_children)
      parts.push_back(fmt::format("{} more groups of {} memories", children.size() - max_children, rest));
    out += fmt::format("epoch {}-{}: {} memories -> {}{}\n", event.epoch_before, event.epoch, event.parent.size(),
                       fmt::join(parts, " + "), event.within_digit() ? " [within one digit]" : "");
  }
  return out;
}

}  // namespace waddington

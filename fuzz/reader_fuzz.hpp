#pragma once
// A random-mutation fuzzer for the data readers: read_npy, read_idx,
// load_images and load_labels get valid .npy and IDX files (raw and gzip)
// changed byte by byte, in the .npy header text, in the IDX sizes, and in the
// data behind the gzip layer. Each reader must either accept the file with
// an array consistent with its shape or throw one InputError whose message is
// a single printable line; anything else (another exception, a crash, a
// multi-line message, a slow case) is a failure.
//
// Used by the test suite (tests/test_lib_io_fuzz.cpp, a short campaign), the
// driver fuzz_readers (long campaigns, replaying inputs) and the libFuzzer
// target fuzz_readers_libfuzzer (whose custom mutator is Mutator::mutate).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "lib/dataset.hpp"
#include "lib/errors.hpp"
#include "lib/escape.hpp"
#include "lib/idx.hpp"
#include "lib/npy.hpp"
#include "tests/io_test_files.hpp"

namespace waddington::fuzz {

// Valid files of every kind the readers accept: the starting points of mutation.
struct SeedFile {
  std::string name;
  std::string bytes;
};

inline std::vector<SeedFile> seed_files() {
  using namespace waddington::testing;
  const std::string six = raw(std::vector<double>{0.5, -1.0, 2.25, 3.0, -0.125, 7.0});
  const auto dict = [](const char* descr, const char* shape) {
    return fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape);
  };
  std::vector<std::uint8_t> pixels(3 * 4 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i * 5);
  const std::string labels = {1, 0, 9, 3, 3, 7};
  return {
      {"f8_v1.npy", npy_file(1, dict("<f8", "(2, 3)"), six)},
      {"f8_v2.npy", npy_file(2, dict("<f8", "(1, 2, 3)"), six)},
      {"f8_v3.npy", npy_file(3, R"({"shape": (3, 2), "fortran_order": False, "descr": "<f8"})", six)},
      {"f8_scalar.npy", npy_file(1, dict("<f8", "()"), six.substr(0, 8))},
      {"f8_trailing.npy", npy_file(1, dict("<f8", "(2, 2)"), six)},
      {"f4.npy", npy_file(1, dict("<f4", "(2, 1, 2)"), raw(std::vector<float>{0.5f, -1.f, 2.f, 3.f}))},
      {"u1.npy", npy_file(1, dict("|u1", "(3, 4, 4)"), raw(pixels))},
      {"i8_labels.npy", npy_file(1, dict("<i8", "(6,)"), raw(std::vector<std::int64_t>{1, 0, 9, 3, 3, 7}))},
      {"images.idx", idx_file({3, 4, 4}, raw(pixels))},
      {"images.idx.gz", gzip(idx_file({3, 4, 4}, raw(pixels)))},
      {"labels.idx", idx_file({6}, labels)},
      {"labels.idx.gz", gzip(idx_file({6}, labels))},
  };
}

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Decompressed gzip data, at most `max_bytes` of it; empty when it is not gzip.
inline std::string gunzip_prefix(const std::string& bytes, std::size_t max_bytes) {
  namespace io = boost::iostreams;
  try {
    io::filtering_istream in;
    in.push(io::gzip_decompressor());
    in.push(io::array_source(bytes.data(), bytes.size()));
    std::string out(max_bytes, '\0');
    in.read(out.data(), std::streamsize(max_bytes));
    out.resize(std::size_t(in.gcount()));
    return out;
  } catch (const std::exception&) {
    return {};
  }
}

// Changes a file in ways that reach deep into the readers: bytes anywhere,
// tokens of the .npy header (rebuilt with a consistent length field), the IDX
// element type, dimension count and sizes, the data under a gzip layer, and
// splices of two seeds. The result is at most kMaxBytes long.
class Mutator {
 public:
  static constexpr std::size_t kMaxBytes = 1 << 18;

  explicit Mutator(std::vector<SeedFile> seeds = seed_files()) : seeds_(std::move(seeds)) {
    for (int i = 0; i < 33; ++i) many_dims_ += "1, ";
    many_dims_ = "(" + many_dims_ + ")";
  }

  const std::vector<SeedFile>& seeds() const { return seeds_; }

  // The input of case `index` of a campaign with `seed`: a function of both only.
  std::string make(std::uint64_t seed, std::uint64_t index) const {
    std::mt19937_64 rng(splitmix64(seed ^ splitmix64(index)));
    std::string bytes = seeds_[rng() % seeds_.size()].bytes;
    for (int rounds = 1 + int(rng() % 3); rounds > 0; --rounds) bytes = mutate(bytes, rng);
    return bytes;
  }

  std::string mutate(const std::string& input, std::mt19937_64& rng) const {
    std::string out;
    switch (rng() % 8) {
      case 0: case 1: case 2: out = bytes_changed(input, rng); break;
      case 3: case 4: case 5: out = structure_changed(input, rng); break;
      case 6: out = spliced(input, rng); break;
      default: out = bytes_changed(structure_changed(input, rng), rng); break;
    }
    if (out.size() > kMaxBytes) out.resize(kMaxBytes);
    return out;
  }

 private:
  static std::size_t below(std::mt19937_64& rng, std::size_t n) { return n == 0 ? 0 : std::size_t(rng() % n); }

  static std::uint32_t interesting_u32(std::mt19937_64& rng) {
    static constexpr std::array<std::uint32_t, 16> values = {0, 1, 2, 3, 28, 255, 256, 784, 10000, 60000, 5000000,
                                                             0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu, 65536};
    return rng() % 4 == 0 ? std::uint32_t(rng()) : values[below(rng, values.size())];
  }

  static char interesting_byte(std::mt19937_64& rng) {
    static constexpr std::string_view bytes("\x00\x01\x02\x03\x04\x05\x08\x0d\x7f\x80\xff\n'\"(),:{}-.L \\", 26);
    return rng() % 4 == 0 ? char(rng()) : bytes[below(rng, bytes.size())];
  }

  // Words of the .npy header grammar, valid and not, short and 100 KB long.
  std::string header_token(std::mt19937_64& rng) const {
    static const std::vector<std::string> words = {
        "True", "False", "1", "0", "-1", "-0", "784.9", "1e3", "0x10", "None", "L", "(", ")", "()", "(,)", "((",
        "'", "\"", ",", ":", "{", "}", "\n", "\\", "\t", std::string(1, '\0'), "\xff", "'descr'", "'shape'",
        "'fortran_order'", "'<f8'", "'>f8'", "'<f4'", "'|u1'", "'<i8'", "'<f\n8'", "'O'", "99999999999999999999",
        "9223372036854775807", "9223372036854775808", "4294967296", "(1,)", "(2, 3)", "(0,)", "(6)",
        "'descr': '<f8', ", "'fortran_order': True, ", "'shape': (2, 3), "};
    switch (rng() % 64) {
      case 0: return many_dims_;
      case 1: return std::string(1000 + below(rng, 120000), ' ');
      case 2: return "'" + std::string(1 + below(rng, 120000), 'f') + "'";
      case 3: {
        std::string dims;
        for (std::size_t i = 0, n = below(rng, 40000); i < n; ++i) dims += "1, ";
        return "(" + dims + ")";
      }
      case 4: return std::string(1 + below(rng, 20000), "(),'"[below(rng, 4)]);
      default: return words[below(rng, words.size())];
    }
  }

  static void put_u32(std::string& b, std::size_t at, std::uint32_t v, bool big_endian) {
    for (int i = 0; i < 4 && at + std::size_t(i) < b.size(); ++i)
      b[at + std::size_t(i)] = char(big_endian ? v >> (24 - 8 * i) : v >> (8 * i));
  }

  std::string bytes_changed(std::string b, std::mt19937_64& rng) const {
    for (int ops = 1 + int(rng() % 4); ops > 0; --ops) {
      const std::size_t at = below(rng, b.size() + 1);
      const std::size_t len = 1 + below(rng, rng() % 4 == 0 ? 256 : 8);
      switch (rng() % 9) {
        case 0: if (at < b.size()) b[at] = char(b[at] ^ (1 << (rng() % 8))); break;
        case 1: if (at < b.size()) b[at] = interesting_byte(rng); break;
        case 2: for (std::size_t i = 0; i < len; ++i) b.insert(b.begin() + std::ptrdiff_t(at), char(rng())); break;
        case 3: b.erase(at, len); break;
        case 4: b.insert(at, b.substr(below(rng, b.size()), len)); break;
        case 5: b.resize(below(rng, b.size() + 1)); break;
        case 6: for (std::size_t i = 0; i < len; ++i) b += char(rng()); break;
        case 7: put_u32(b, at, interesting_u32(rng), rng() % 2); break;
        default: b.insert(at, header_token(rng)); break;
      }
    }
    return b;
  }

  std::string structure_changed(const std::string& b, std::mt19937_64& rng) const {
    if (b.rfind("\x93NUMPY", 0) == 0 && b.size() >= 10) return npy_header_changed(b, rng);
    if (b.size() >= 2 && b[0] == '\x1f' && b[1] == '\x8b') {
      std::string plain = gunzip_prefix(b, 1 << 20);
      if (plain.empty()) return bytes_changed(b, rng);
      plain = rng() % 2 ? structure_changed(plain, rng) : bytes_changed(plain, rng);
      return testing::gzip(plain);
    }
    std::string out = idx_header_changed(b, rng);
    return rng() % 5 == 0 ? testing::gzip(out) : out;
  }

  // Edits the header text of an .npy file and writes a length field that matches it.
  std::string npy_header_changed(const std::string& b, std::mt19937_64& rng) const {
    const int version = static_cast<unsigned char>(b[6]);
    const std::size_t prefix = version == 1 ? 10 : 12;
    std::size_t length = static_cast<unsigned char>(b[8]) | std::size_t(static_cast<unsigned char>(b[9])) << 8;
    if (version != 1 && b.size() >= 12)
      length |= std::size_t(static_cast<unsigned char>(b[10])) << 16 | std::size_t(static_cast<unsigned char>(b[11])) << 24;
    if (prefix + length > b.size()) return bytes_changed(b, rng);
    std::string header = b.substr(prefix, length), data = b.substr(prefix + length);
    for (int ops = 1 + int(rng() % 3); ops > 0; --ops) {
      const std::size_t at = below(rng, header.size() + 1);
      switch (rng() % 5) {
        case 0: header.insert(at, header_token(rng)); break;
        case 1: header.replace(at, below(rng, 8), header_token(rng)); break;
        case 2: header.erase(at, 1 + below(rng, 16)); break;
        case 3: {  // repeat a piece of the header many times
          const std::string piece = header.substr(at, 1 + below(rng, 6));
          std::string repeated;
          for (std::size_t k = 0, n = below(rng, 5000); k < n; ++k) repeated += piece;
          header.insert(at, repeated);
          break;
        }
        default: if (!data.empty()) data.resize(below(rng, data.size() + 9), '\x01'); break;
      }
    }
    const int new_version = header.size() > 0xffff ? 2 + int(rng() % 2) : rng() % 2 ? version : 1 + int(rng() % 3);
    if (rng() % 2) return testing::npy_file(new_version, header, data);  // padded with '\n' as NumPy does
    std::string out = std::string("\x93NUMPY", 6) + char(new_version) + '\0';
    const std::size_t n = header.size();
    out += {char(n & 0xff), char((n >> 8) & 0xff)};
    if (new_version != 1) out += {char((n >> 16) & 0xff), char((n >> 24) & 0xff)};
    return out + header + data;
  }

  // Edits the IDX element type, the number of dimensions, a size, or the data length.
  std::string idx_header_changed(std::string b, std::mt19937_64& rng) const {
    if (b.size() < 4) return bytes_changed(b, rng);
    static constexpr std::array<char, 9> dims = {0, 1, 2, 3, 4, 5, 8, char(0x7f), char(0xff)};
    static constexpr std::array<char, 6> types = {0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e};
    const std::size_t sizes = static_cast<unsigned char>(b[3]);
    switch (rng() % 5) {
      case 0: b[3] = dims[below(rng, dims.size())]; break;
      case 1: b[2] = types[below(rng, types.size())]; break;
      case 2: case 3: put_u32(b, 4 + 4 * below(rng, std::max<std::size_t>(sizes, 1)), interesting_u32(rng), true); break;
      default: b.resize(4 + 4 * sizes + below(rng, b.size() + 64), char(rng())); break;
    }
    return b;
  }

  std::string spliced(const std::string& b, std::mt19937_64& rng) const {
    const std::string& other = seeds_[below(rng, seeds_.size())].bytes;
    return b.substr(0, below(rng, b.size() + 1)) + other.substr(below(rng, other.size() + 1));
  }

  std::vector<SeedFile> seeds_;
  std::string many_dims_;
};

// What the readers made of one input.
struct CaseResult {
  int accepted = 0;                   // readers that returned an array
  int rejected = 0;                   // readers that threw InputError
  std::vector<std::string> failures;  // broken promises, one line each
  double seconds = 0;
};

namespace detail {

inline void check_message(const char* reader, const std::string& message, CaseResult& r) {
  const bool printable = std::all_of(message.begin(), message.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!printable) r.failures.push_back(fmt::format("{}: message is not one printable line: {}", reader, escape_for_message(message, 200)));
  if (message.size() > 4096 + 512) r.failures.push_back(fmt::format("{}: message of {} bytes", reader, message.size()));
}

// Runs `read`; an InputError is a rejection, every other exception a failure.
template <class Read>
void attempt(const char* reader, CaseResult& r, Read&& read) {
  try {
    read();
    ++r.accepted;
  } catch (const InputError& e) {
    ++r.rejected;
    check_message(reader, e.what(), r);
  } catch (const std::exception& e) {
    r.failures.push_back(fmt::format("{}: {} instead of InputError: {}", reader, typeid(e).name(), escape_for_message(e.what(), 200)));
  } catch (...) {
    r.failures.push_back(fmt::format("{}: an unknown exception instead of InputError", reader));
  }
}

inline std::size_t product(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

}  // namespace detail

// Writes `bytes` to `file` and gives it to every reader.
inline CaseResult run_case(const std::filesystem::path& file, std::string_view bytes) {
  const auto start = std::chrono::steady_clock::now();
  testing::write_bytes(file, std::string(bytes));
  CaseResult r;
  Eigen::Index samples = 1;
  detail::attempt("read_npy", r, [&] {
    const NpyArray a = read_npy(file);
    if (a.values.size() != detail::product(a.shape) || a.shape.size() > kNpyMaxDims)
      r.failures.push_back(fmt::format("read_npy: {} values for {} dimensions", a.values.size(), a.shape.size()));
    for (const auto& w : a.warnings) detail::check_message("read_npy warning", w, r);
    if (!a.shape.empty()) samples = Eigen::Index(a.shape[0]);
  });
  detail::attempt("read_idx", r, [&] {
    const IdxArray a = read_idx(file);
    if (a.values.size() != detail::product(a.shape))
      r.failures.push_back(fmt::format("read_idx: {} values for {} dimensions", a.values.size(), a.shape.size()));
    samples = Eigen::Index(a.shape.at(0));
  });
  detail::attempt("load_images", r, [&] {
    std::vector<std::string> warnings;
    const Eigen::MatrixXd images = load_images(file, &warnings);
    if (images.rows() == 0 || images.cols() == 0 || !images.allFinite())
      r.failures.push_back(fmt::format("load_images: an empty or non-finite {} x {} matrix", images.rows(), images.cols()));
  });
  detail::attempt("load_labels", r, [&] {
    const std::vector<int> labels = load_labels(file.string(), samples);
    if (Eigen::Index(labels.size()) != samples || std::any_of(labels.begin(), labels.end(), [](int y) { return y < 0 || y > 9; }))
      r.failures.push_back("load_labels: labels out of 0..9 or of the wrong count");
  });
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

struct CampaignOptions {
  std::uint64_t cases = 2000;
  std::uint64_t seed = 1;
  // Where each input is written (as the file "case"); it stays there after a crash.
  std::filesystem::path dir;
  // A case slower than this counts as a timeout.
  double timeout_seconds = 2.0;
};

struct CampaignSummary {
  std::uint64_t cases = 0, accepted = 0, rejected = 0, failed = 0, timeouts = 0;
  std::uint64_t slowest_case = 0, largest_input = 0;
  double max_case_seconds = 0, seconds = 0;
  std::vector<std::string> failures;  // the first 20, "case I: ..."

  bool clean() const { return failed == 0 && timeouts == 0; }
  std::string BriefReport() const {
    return fmt::format("{} cases in {:.1f} s: {} accepted, {} rejected, {} failed, {} timeouts; slowest case {} "
                       "({:.3f} s), largest input {} bytes",
                       cases, seconds, accepted, rejected, failed, timeouts, slowest_case, max_case_seconds, largest_input);
  }
};

// The seeds unchanged (each must be accepted), then `cases` mutated inputs.
// `before_case(index)` is called before each mutated case (progress, watchdog).
template <class BeforeCase>
CampaignSummary run_campaign(const CampaignOptions& options, BeforeCase&& before_case) {
  const Mutator mutator;
  const auto file = options.dir / "case";
  CampaignSummary s;
  const auto start = std::chrono::steady_clock::now();
  for (const SeedFile& seed : mutator.seeds())
    if (const CaseResult r = run_case(file, seed.bytes); r.accepted == 0 || !r.failures.empty())
      s.failures.push_back(fmt::format("seed {}: not accepted cleanly", seed.name));
  s.failed = s.failures.size();
  for (std::uint64_t i = 0; i < options.cases; ++i) {
    const std::string input = mutator.make(options.seed, i);
    before_case(i);
    const CaseResult r = run_case(file, input);
    ++s.cases;
    s.largest_input = std::max<std::uint64_t>(s.largest_input, input.size());
    if (r.seconds > s.max_case_seconds) s.max_case_seconds = r.seconds, s.slowest_case = i;
    if (r.seconds > options.timeout_seconds) ++s.timeouts;
    if (!r.failures.empty()) {
      ++s.failed;
      if (s.failures.size() < 20) s.failures.push_back(fmt::format("case {}: {}", i, r.failures.front()));
    } else if (r.accepted > 0) {
      ++s.accepted;
    } else {
      ++s.rejected;
    }
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace waddington::fuzz

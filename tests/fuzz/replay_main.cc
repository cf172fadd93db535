// A standalone driver for kazmig's libFuzzer targets: the smoke run of `make test`.
//
// Linked with one tests/fuzz/<name>_fuzz.cc (instead of libFuzzer's main), it calls
// LLVMFuzzerTestOneInput on every file of the seed corpus, then on a fixed number of deterministic
// mutations of those seeds (bit flips, byte changes, insertions of bytes that matter to the
// parsers, deletions, truncations, duplicated chunks, splices of two seeds). It builds with any
// compiler, so it runs in every build, including the ASan one; `make fuzz` (clang, libFuzzer) is
// the long, coverage-guided run.
//
//   kazmig_csv_fuzz_replay --seed 1 --mutations 20000 --max-seconds 5 tests/fuzz/corpus/csv
//   kazmig_csv_fuzz_replay --seed 1 --only 1234 --save crash.csv tests/fuzz/corpus/csv
//
// Mutation N depends only on the seed, N and the corpus, so a crash report ("crashed on mutation
// N") is reproduced with --only N, and --save writes that input. A crash (signal, sanitizer abort,
// an exception other than the target's own InputError) or an input that runs longer than
// --input-timeout seconds fails the run with a line saying which input it was.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Provided by the ASan/UBSan runtimes; null in a build without sanitizers.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)());

namespace {

constexpr size_t kMaxInputSize = 64 * 1024;

// The input being run, said by the crash and timeout handlers (async-signal-safe: a fixed buffer
// written with write(2)).
char g_context[512] = "before the first input\n";
size_t g_context_size = std::strlen(g_context);
struct sigaction g_previous[NSIG];

void SetContext(const std::string& text) {
  const size_t size = std::min(text.size(), sizeof(g_context) - 1);
  std::memcpy(g_context, text.data(), size);
  g_context[size] = '\0';
  g_context_size = size;
}

// Says which input crashed, then hands the signal back to the handler it replaced (the
// sanitizer's or the default one), which runs when the faulting instruction repeats or, for
// abort(), when abort raises the signal again.
void OnCrash(int signal_number) {
  static const char kPrefix[] = "replay: crashed on ";
  [[maybe_unused]] ssize_t written = write(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  written = write(STDERR_FILENO, g_context, g_context_size);
  sigaction(signal_number, &g_previous[signal_number], nullptr);
}

void OnTimeout(int) {
  static const char kPrefix[] = "replay: timed out (--input-timeout) on ";
  [[maybe_unused]] ssize_t written = write(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  written = write(STDERR_FILENO, g_context, g_context_size);
  _exit(1);
}

// A sanitizer's report ends the process through its own exit path: say the input there too.
void OnSanitizerDeath() {
  static const char kPrefix[] = "replay: the sanitizer report above is for ";
  [[maybe_unused]] ssize_t written = write(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  written = write(STDERR_FILENO, g_context, g_context_size);
}

void InstallHandlers() {
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(OnSanitizerDeath);
  }
  for (const int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    struct sigaction action {};
    action.sa_handler = OnCrash;
    sigemptyset(&action.sa_mask);
    sigaction(signal_number, &action, &g_previous[signal_number]);
  }
  struct sigaction action {};
  action.sa_handler = OnTimeout;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, nullptr);
}

struct Options {
  uint64_t seed = 1;
  uint64_t mutations = 10000;
  double max_seconds = 0;       // 0: no limit
  unsigned input_timeout = 20;  // seconds for one input
  int64_t only = -1;            // run only this mutation
  std::string save;             // write the --only input here
  std::vector<std::string> corpus;
};

[[noreturn]] void Usage(const char* program, const std::string& problem) {
  std::cerr << "replay: " << problem << "\nusage: " << program
            << " [--seed N] [--mutations N] [--max-seconds S] [--input-timeout S]"
               " [--only N [--save FILE]] CORPUS_DIR_OR_FILE...\n";
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int index = 1; index < argc; ++index) {
    const std::string_view arg = argv[index];
    auto value = [&]() -> std::string {
      if (index + 1 >= argc) Usage(argv[0], std::string(arg) + " needs a value");
      return argv[++index];
    };
    try {
      if (arg == "--seed") {
        options.seed = std::stoull(value());
      } else if (arg == "--mutations") {
        options.mutations = std::stoull(value());
      } else if (arg == "--max-seconds") {
        options.max_seconds = std::stod(value());
      } else if (arg == "--input-timeout") {
        options.input_timeout = static_cast<unsigned>(std::stoul(value()));
      } else if (arg == "--only") {
        options.only = std::stoll(value());
      } else if (arg == "--save") {
        options.save = value();
      } else if (arg.starts_with("--")) {
        Usage(argv[0], "unknown option " + std::string(arg));
      } else {
        options.corpus.emplace_back(arg);
      }
    } catch (const std::logic_error&) {
      Usage(argv[0], "bad number after " + std::string(arg));
    }
  }
  if (options.corpus.empty()) Usage(argv[0], "no corpus given");
  if (!options.save.empty() && options.only < 0) Usage(argv[0], "--save needs --only");
  return options;
}

struct Seed {
  std::string name;
  std::string bytes;
};

// Every regular file of each folder (sorted by name), or the file itself. A folder that does not
// exist yet gives no seeds (the run then starts from the empty input).
std::vector<Seed> ReadCorpus(const std::vector<std::string>& paths) {
  std::vector<Seed> seeds;
  for (const auto& path : paths) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
    } else if (std::filesystem::is_regular_file(path)) {
      files.emplace_back(path);
    } else {
      std::cerr << "replay: note: no seed corpus at " << path << "\n";
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      seeds.push_back({file.string(), std::string(std::istreambuf_iterator<char>(in), {})});
    }
  }
  return seeds;
}

// Bytes that steer the readers: separators, quotes, line ends, JSON and XML punctuation, digits,
// signs, exponents, the first bytes of UTF-8 and Windows-1251 letters.
constexpr char kSpecialByteList[] =
    ",;\t\"'\n\r{}[]:<>/=&#.-+eE0123456789 \\\xef\xbb\xbf\xd0\xc0\x00\xff";
constexpr std::string_view kSpecialBytes(kSpecialByteList, sizeof(kSpecialByteList) - 1);
constexpr std::string_view kSpecialTokens[] = {"\"\"",
                                               "\r\n",
                                               "1e308",
                                               "-0",
                                               "nan",
                                               "inf",
                                               "99999999999999999999",
                                               "-1",
                                               "0x10",
                                               "1,5",
                                               "null",
                                               "true",
                                               "[]",
                                               "{}",
                                               "\"type\"",
                                               "\"coordinates\"",
                                               "<c r=\"A1\">",
                                               "</row>",
                                               "&amp;",
                                               "<![CDATA[",
                                               "\xd0\x90",
                                               "PK\x03\x04"};

// Input number `number` of the mutation stream: seeds chosen and changed by a generator seeded
// with (seed, number) alone.
std::string Mutate(const std::vector<Seed>& seeds, uint64_t seed, uint64_t number) {
  std::seed_seq sequence{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                         static_cast<uint32_t>(number), static_cast<uint32_t>(number >> 32)};
  std::mt19937_64 random(sequence);
  auto below = [&](size_t bound) { return bound == 0 ? size_t{0} : random() % bound; };
  std::string data = seeds.empty() ? std::string() : seeds[below(seeds.size())].bytes;
  const size_t changes = 1 + below(4);
  for (size_t change = 0; change < changes; ++change) {
    const size_t at = below(data.size() + 1);
    switch (below(9)) {
      case 0:  // flip one bit
        if (!data.empty()) data[below(data.size())] ^= static_cast<char>(1u << below(8));
        break;
      case 1:  // any byte
        if (!data.empty()) data[below(data.size())] = static_cast<char>(random());
        break;
      case 2:  // a byte that matters to a parser
        if (!data.empty()) data[below(data.size())] = kSpecialBytes[below(kSpecialBytes.size())];
        break;
      case 3: {  // insert a few such bytes
        const size_t count = 1 + below(8);
        for (size_t inserted = 0; inserted < count; ++inserted) {
          data.insert(data.begin() + static_cast<std::ptrdiff_t>(at),
                      kSpecialBytes[below(kSpecialBytes.size())]);
        }
        break;
      }
      case 4:  // insert a token
        data.insert(at, kSpecialTokens[below(std::size(kSpecialTokens))]);
        break;
      case 5:  // delete a range
        data.erase(at, 1 + below(16));
        break;
      case 6:  // truncate
        data.resize(at);
        break;
      case 7: {  // duplicate a chunk elsewhere
        if (data.empty()) break;
        const size_t from = below(data.size());
        const std::string chunk = data.substr(from, 1 + below(64));
        data.insert(below(data.size() + 1), chunk);
        break;
      }
      default: {  // splice: this input's head, another seed's tail
        if (seeds.empty()) break;
        const std::string& other = seeds[below(seeds.size())].bytes;
        data = data.substr(0, at) + other.substr(below(other.size() + 1));
        break;
      }
    }
    if (data.size() > kMaxInputSize) data.resize(kMaxInputSize);
  }
  return data;
}

void Run(const std::string& data, unsigned timeout) {
  alarm(timeout);
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  alarm(0);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  const std::vector<Seed> seeds = ReadCorpus(options.corpus);
  InstallHandlers();
  std::string rerun = std::string(argv[0]) + " --seed " + std::to_string(options.seed);
  for (const auto& path : options.corpus) rerun += " " + path;

  if (options.only >= 0) {
    const std::string data = Mutate(seeds, options.seed, static_cast<uint64_t>(options.only));
    if (!options.save.empty()) {
      std::ofstream(options.save, std::ios::binary) << data;
      std::cerr << "replay: wrote mutation " << options.only << " (" << data.size() << " bytes) to "
                << options.save << "\n";
    }
    SetContext("mutation " + std::to_string(options.only) + "\n");
    Run(data, options.input_timeout);
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  for (const auto& seed : seeds) {
    SetContext("corpus file " + seed.name + "\n");
    Run(seed.bytes, options.input_timeout);
  }
  uint64_t done = 0;
  for (; done < options.mutations; ++done) {
    if (options.max_seconds > 0 && done % 64 == 0) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      if (elapsed.count() > options.max_seconds) break;
    }
    SetContext("mutation " + std::to_string(done) + "; rerun: " + rerun + " --only " +
               std::to_string(done) + " --save crash.bin\n");
    Run(Mutate(seeds, options.seed, done), options.input_timeout);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("replay: %zu seed(s) and %llu of %llu mutation(s) (seed %llu) in %.2f s: ok\n",
              seeds.size(), static_cast<unsigned long long>(done),
              static_cast<unsigned long long>(options.mutations),
              static_cast<unsigned long long>(options.seed), elapsed.count());
  return 0;
}

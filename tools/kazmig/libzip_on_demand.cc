// libzip, loaded when a command first reads an .xlsx workbook (io/xlsx.cc) rather than at every
// start: libzip.so.4 pulls in OpenSSL's libcrypto, libbz2 and zlib, whose loading and start-up
// cost about a third of kazmig's start-up before main (docs/csv.md, "Start-up"). The kazmig
// executable defines the libzip functions io/xlsx.cc calls (the declarations of <zip.h>); each
// calls the real one from libzip.so.4, opened with dlopen on first use. Linked with
// -Wl,--as-needed, kazmig then does not need libzip.so at all (CMakeLists.txt); a libzip function
// io/ starts to use without a forwarder here makes it needed again, which
// tests/integration/startup_libraries_test.sh reports. kazmig-serve and the tests link libzip as
// before. Without libzip.so.4 installed, reading an .xlsx file fails with exit 1 and this message.
#include <dlfcn.h>
#include <zip.h>

#include <string>

#include "kazmig/core/error.h"

namespace {

constexpr const char* kLibzip = "libzip.so.4";

void* Libzip() {
  static void* const handle = [] {
    void* opened = dlopen(kLibzip, RTLD_NOW | RTLD_LOCAL);
    if (opened == nullptr) {
      const char* why = dlerror();
      throw kazmig::Error(std::string("cannot load ") + kLibzip +
                          " to read .xlsx files (Debian package libzip4)" +
                          (why != nullptr ? std::string(": ") + why : std::string()));
    }
    return opened;
  }();
  return handle;
}

// The function `name` of libzip.so.4, of the type F its declaration in <zip.h> has.
template <typename F>
F* Real(const char* name) {
  void* symbol = dlsym(Libzip(), name);
  if (symbol == nullptr) {
    throw kazmig::Error(std::string(kLibzip) + " has no function " + name);
  }
  return reinterpret_cast<F*>(symbol);
}

}  // namespace

extern "C" {

void zip_discard(zip_t* archive) {
  static auto* const real = Real<decltype(zip_discard)>("zip_discard");
  real(archive);
}

void zip_error_fini(zip_error_t* error) {
  static auto* const real = Real<decltype(zip_error_fini)>("zip_error_fini");
  real(error);
}

void zip_error_init(zip_error_t* error) {
  static auto* const real = Real<decltype(zip_error_init)>("zip_error_init");
  real(error);
}

void zip_error_init_with_code(zip_error_t* error, int code) {
  static auto* const real = Real<decltype(zip_error_init_with_code)>("zip_error_init_with_code");
  real(error, code);
}

const char* zip_error_strerror(zip_error_t* error) {
  static auto* const real = Real<decltype(zip_error_strerror)>("zip_error_strerror");
  return real(error);
}

int zip_fclose(zip_file_t* file) {
  static auto* const real = Real<decltype(zip_fclose)>("zip_fclose");
  return real(file);
}

zip_file_t* zip_fopen(zip_t* archive, const char* name, zip_flags_t flags) {
  static auto* const real = Real<decltype(zip_fopen)>("zip_fopen");
  return real(archive, name, flags);
}

zip_int64_t zip_fread(zip_file_t* file, void* buffer, zip_uint64_t size) {
  static auto* const real = Real<decltype(zip_fread)>("zip_fread");
  return real(file, buffer, size);
}

zip_t* zip_open(const char* path, int flags, int* error) {
  static auto* const real = Real<decltype(zip_open)>("zip_open");
  return real(path, flags, error);
}

zip_t* zip_open_from_source(zip_source_t* source, int flags, zip_error_t* error) {
  static auto* const real = Real<decltype(zip_open_from_source)>("zip_open_from_source");
  return real(source, flags, error);
}

zip_source_t* zip_source_buffer_create(const void* data, zip_uint64_t size, int free_data,
                                       zip_error_t* error) {
  static auto* const real = Real<decltype(zip_source_buffer_create)>("zip_source_buffer_create");
  return real(data, size, free_data, error);
}

void zip_source_free(zip_source_t* source) {
  static auto* const real = Real<decltype(zip_source_free)>("zip_source_free");
  real(source);
}

int zip_stat(zip_t* archive, const char* name, zip_flags_t flags, zip_stat_t* stat) {
  static auto* const real = Real<decltype(zip_stat)>("zip_stat");
  return real(archive, name, flags, stat);
}

void zip_stat_init(zip_stat_t* stat) {
  static auto* const real = Real<decltype(zip_stat_init)>("zip_stat_init");
  real(stat);
}

}  // extern "C"

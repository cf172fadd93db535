# Every dependency comes from Debian's packages (scripts/setup-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(TBB QUIET)
find_package(NLopt REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
# gzip event files (traces): ISA-L's streaming inflate, about twice zlib's speed.
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)
# kazmig serve: Debian's cpp-httplib (compiled library; docs/http.md says why).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(pugixml REQUIRED)
find_path(FAST_FLOAT_INCLUDE_DIR fast_float/fast_float.h REQUIRED)
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(kazmig_fast_float INTERFACE)
target_include_directories(kazmig_fast_float SYSTEM INTERFACE ${FAST_FLOAT_INCLUDE_DIR})
add_library(kazmig_cli11 INTERFACE)
target_include_directories(kazmig_cli11 SYSTEM INTERFACE ${CLI11_INCLUDE_DIR})
if(KAZMIG_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
endif()
if(KAZMIG_BENCH)
  find_package(benchmark REQUIRED)
endif()

# Static archives where Debian ships them (libsqlite3.a, libpugixml.a, libzstd.a): a shared
# library costs every command its loading, relocation and symbol lookups at start-up (docs/csv.md,
# "Start-up"). The same library code and version as the shared ones; off for a build that wants
# the shared libraries.
option(KAZMIG_STATIC_ARCHIVES "Link sqlite, pugixml and zstd from Debian's static archives" ON)
if(KAZMIG_STATIC_ARCHIVES)
  find_library(KAZMIG_SQLITE3_ARCHIVE libsqlite3.a)
  if(KAZMIG_SQLITE3_ARCHIVE)
    set_target_properties(
      SQLite::SQLite3 PROPERTIES IMPORTED_LOCATION "${KAZMIG_SQLITE3_ARCHIVE}"
                                 INTERFACE_LINK_LIBRARIES "m;${CMAKE_DL_LIBS};Threads::Threads")
  endif()
  if(TARGET pugixml::static)
    set_target_properties(pugixml::pugixml PROPERTIES INTERFACE_LINK_LIBRARIES pugixml::static)
  endif()
  find_library(KAZMIG_ZSTD_ARCHIVE libzstd.a)
  if(KAZMIG_ZSTD_ARCHIVE)
    set_target_properties(PkgConfig::ZSTD PROPERTIES INTERFACE_LINK_LIBRARIES
                                                     "${KAZMIG_ZSTD_ARCHIVE}")
  endif()
endif()

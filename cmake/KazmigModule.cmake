# kazmig_module(NAME DEPS <targets...>)
#
# Declares the library module src/kazmig/NAME as the static library `kazmig_NAME`: its sources are
# every *.cc in the folder except *_test.cc, *_benchmark.cc and *_fuzz.cc. Tests (*_test.cc) become
# one GoogleTest executable `kazmig_NAME_test`, registered with CTest under the label `unit`.
# Benchmarks (*_benchmark.cc) become `kazmig_NAME_benchmark` when KAZMIG_BENCH is on.
# Dependencies between modules are target dependencies, so a wrong include fails to link.
function(kazmig_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc"
       "${CMAKE_CURRENT_SOURCE_DIR}/internal/*.cc")
  set(lib_sources ${all_sources})
  list(FILTER lib_sources EXCLUDE REGEX "_(test|benchmark|fuzz)\\.cc$")
  set(test_sources ${all_sources})
  list(FILTER test_sources INCLUDE REGEX "_test\\.cc$")
  set(bench_sources ${all_sources})
  list(FILTER bench_sources INCLUDE REGEX "_benchmark\\.cc$")

  if(NOT lib_sources)
    message(STATUS "kazmig: module '${name}' has no sources yet; skipped")
    return()
  endif()
  add_library(kazmig_${name} STATIC ${lib_sources})
  target_include_directories(kazmig_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(kazmig_${name} PUBLIC ${ARG_DEPS} PRIVATE kazmig_warnings)

  if(test_sources)
    add_executable(kazmig_${name}_test ${test_sources})
    target_link_libraries(kazmig_${name}_test PRIVATE kazmig_${name} kazmig_testing ${ARG_TEST_DEPS}
                          GTest::gtest_main kazmig_warnings)
    add_test(NAME unit.${name} COMMAND kazmig_${name}_test --gtest_brief=1)
    set_tests_properties(unit.${name} PROPERTIES LABELS unit ENVIRONMENT
                         "KAZMIG_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
  if(KAZMIG_BENCH AND bench_sources)
    add_executable(kazmig_${name}_benchmark ${bench_sources})
    target_link_libraries(kazmig_${name}_benchmark PRIVATE kazmig_${name} benchmark::benchmark_main)
  endif()
endfunction()

# The dashboard's front end: web/src bundled by esbuild (web/build.mjs) into ${CMAKE_BINARY_DIR}/web,
# the web root `kazmig serve` uses by default. Included from the top CMakeLists.txt (not added as
# a subdirectory), so that build/web holds nothing but the bundle. Part of `all` when node is on
# the PATH and web/node_modules holds the packages of package-lock.json (scripts/setup-deps.sh runs
# `npm ci`); otherwise the build goes on without it and the browser tests skip. Re-run cmake after
# a first `npm ci` in an existing build folder.
find_program(KAZMIG_NODE node)
set(kazmig_web_source "${PROJECT_SOURCE_DIR}/web")
if(NOT KAZMIG_NODE OR NOT EXISTS "${kazmig_web_source}/node_modules/esbuild/package.json"
   OR NOT EXISTS "${kazmig_web_source}/node_modules/echarts/package.json")
  message(STATUS "kazmig: dashboard not built (needs node and web/node_modules: run "
                 "scripts/setup-deps.sh, or `npm ci` in web/, then re-run cmake)")
else()
  file(GLOB_RECURSE kazmig_web_sources CONFIGURE_DEPENDS "${kazmig_web_source}/src/*")
  set(kazmig_web_root "${CMAKE_BINARY_DIR}/web")
  add_custom_command(
    OUTPUT "${kazmig_web_root}/app.js" "${kazmig_web_root}/index.html"
           "${kazmig_web_root}/app.css" "${kazmig_web_root}/data/world-110m.geojson"
    COMMAND "${KAZMIG_NODE}" "${kazmig_web_source}/build.mjs" --out "${kazmig_web_root}"
    DEPENDS ${kazmig_web_sources} "${kazmig_web_source}/build.mjs"
            "${kazmig_web_source}/package-lock.json"
    WORKING_DIRECTORY "${kazmig_web_source}"
    COMMENT "Bundling the dashboard into ${kazmig_web_root}"
    VERBATIM)
  add_custom_target(kazmig_web ALL DEPENDS "${kazmig_web_root}/app.js")
endif()

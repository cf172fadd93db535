# Warning flags for every kazmig target; KAZMIG_WERROR turns them into errors (CI builds).
add_library(kazmig_warnings INTERFACE)
target_compile_options(kazmig_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
                       # g++ 12 reports false positives in <string> at -O3 (GCC bug 105329).
                       -Wno-restrict)
if(KAZMIG_WERROR)
  target_compile_options(kazmig_warnings INTERFACE -Werror)
endif()

if(KAZMIG_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

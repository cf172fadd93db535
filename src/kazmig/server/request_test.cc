#include "kazmig/server/request.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "kazmig/server/api.h"
#include "kazmig/server/http_server.h"
#include "kazmig/server/static_files.h"

namespace kazmig::server {
namespace {

ApiRequest Ok(std::string_view path, const QueryParams& params = {},
              std::string_view method = "GET") {
  const ParseResult parsed = ParseRequest(method, path, params);
  const auto* error = std::get_if<RequestError>(&parsed);
  EXPECT_EQ(error, nullptr) << path << ": " << (error ? error->message : "");
  return error ? ApiRequest{} : std::get<ApiRequest>(parsed);
}

RequestError Err(std::string_view path, const QueryParams& params = {},
                 std::string_view method = "GET") {
  const ParseResult parsed = ParseRequest(method, path, params);
  const auto* error = std::get_if<RequestError>(&parsed);
  EXPECT_NE(error, nullptr) << path << " was accepted";
  return error ? *error : RequestError{0, ""};
}

TEST(ParseRequest, EveryEndpointByPath) {
  EXPECT_EQ(Ok("/api/health").endpoint, Endpoint::kHealth);
  EXPECT_EQ(Ok("/api/health/").endpoint, Endpoint::kHealth);
  EXPECT_EQ(Ok("/api/regions").endpoint, Endpoint::kRegions);
  EXPECT_EQ(Ok("/api/boundaries").endpoint, Endpoint::kBoundaries);
  EXPECT_EQ(Ok("/api/map", {{"indicator", "net_rate"}}).endpoint, Endpoint::kMap);
  EXPECT_EQ(Ok("/api/series", {{"indicator", "net_internal"}, {"region", "75"}}).endpoint,
            Endpoint::kSeries);
  EXPECT_EQ(Ok("/api/indicators").endpoint, Endpoint::kIndicators);
  EXPECT_EQ(Ok("/api/flows").endpoint, Endpoint::kFlows);
  EXPECT_EQ(Ok("/api/flows/international").endpoint, Endpoint::kInternationalFlows);
  EXPECT_EQ(Ok("/api/factors").endpoint, Endpoint::kFactors);
  EXPECT_EQ(Ok("/api/risk").endpoint, Endpoint::kRisk);
  EXPECT_EQ(Ok("/api/scenarios").endpoint, Endpoint::kScenarios);
  EXPECT_EQ(Ok("/api/projections").endpoint, Endpoint::kProjections);
  EXPECT_EQ(Ok("/api/policy").endpoint, Endpoint::kPolicy);
  EXPECT_EQ(Ok("/api/import", {{"format", "tidy-series"}}, "POST").endpoint, Endpoint::kImport);
  const ApiRequest region = Ok("/api/regions/75");
  EXPECT_EQ(region.endpoint, Endpoint::kRegion);
  EXPECT_EQ(region.region, "75");
  EXPECT_EQ(region.vintage, "kz-2022");
  EXPECT_TRUE(Ok("/api/health", {}, "HEAD").head);
}

TEST(ParseRequest, UnknownPathsAre404AndMethods405) {
  EXPECT_EQ(Err("/api/nothing").status, 404);
  EXPECT_EQ(Err("/api").status, 404);
  EXPECT_EQ(Err("/api/regions/75/x").status, 404);
  EXPECT_EQ(Err("/api/regions/a.b").status, 404);
  EXPECT_EQ(Err("/api/health", {}, "PUT").status, 405);
  EXPECT_EQ(Err("/api/health", {}, "POST").status, 405);
  EXPECT_EQ(Err("/api/import", {{"format", "tidy-series"}}, "GET").status, 405);
  EXPECT_EQ(Err("/index.html", {}, "POST").status, 405);
}

TEST(ParseRequest, DefaultsAndCacheKeys) {
  EXPECT_EQ(Ok("/api/regions").CacheKey(), "/api/regions?vintage=kz-2022");
  EXPECT_EQ(Ok("/api/regions", {{"vintage", "kz-2022"}}).CacheKey(), Ok("/api/regions").CacheKey());
  EXPECT_EQ(Ok("/api/map", {{"year", "2023"}, {"indicator", "net_rate"}}).CacheKey(),
            Ok("/api/map", {{"indicator", "net_rate"}, {"year", "2023"}}).CacheKey());
  EXPECT_NE(Ok("/api/map", {{"indicator", "net_rate"}}).CacheKey(),
            Ok("/api/map", {{"indicator", "net_rate"}, {"year", "2023"}}).CacheKey());
  EXPECT_NE(Ok("/api/series", {{"indicator", "a"}, {"region", "75"}}).CacheKey(),
            Ok("/api/series", {{"indicator", "a"}, {"region", "71"}}).CacheKey());
  EXPECT_EQ(Ok("/api/projections").scenario, "baseline");
  EXPECT_EQ(Ok("/api/projections").CacheKey(),
            Ok("/api/projections", {{"scenario", "baseline"}}).CacheKey());
  EXPECT_EQ(Ok("/api/health").CacheKey(), "/api/health");
}

TEST(ParseRequest, BadParametersAre400NamingThem) {
  const auto names = [](std::string_view path, const QueryParams& params, std::string_view word) {
    const RequestError error = Err(path, params);
    EXPECT_EQ(error.status, 400) << path;
    EXPECT_NE(error.message.find(word), std::string::npos) << error.message;
  };
  names("/api/map", {}, "'indicator': required");
  names("/api/map", {{"indicator", "bogus"}}, "net_rate, population");
  names("/api/map", {{"indicator", "net_rate"}, {"year", "20x4"}}, "'year'");
  names("/api/map", {{"indicator", "net_rate"}, {"year", "1850"}}, "'year'");
  names("/api/map", {{"indicator", "net_rate"}, {"year", "20240"}}, "'year'");
  names("/api/map", {{"indicator", "net_rate"}, {"year", ""}}, "'year': empty");
  names("/api/map", {{"indicator", "net_rate"}, {"colour", "red"}}, "'colour'");
  names("/api/map", {{"indicator", "net_rate"}, {"indicator", "population"}}, "more than once");
  names("/api/health", {{"x", "1"}}, "it takes none");
  names("/api/regions", {{"vintage", "kz-1999"}}, "kz-2009, kz-2018, kz-2022");
  names("/api/boundaries", {{"vintage", "kz-2009"}}, "kz-2018, kz-2022");
  names("/api/series", {{"indicator", "net_internal"}}, "'region': required");
  names("/api/series", {{"region", "75"}}, "'indicator': required");
  names("/api/series", {{"indicator", "Net Internal"}, {"region", "75"}}, "'indicator'");
  names("/api/series", {{"indicator", "net_internal"}, {"region", "../75"}}, "'region'");
  names("/api/series", {{"indicator", "net_internal"}, {"region", std::string(40, '7')}},
        "'region'");
  names("/api/flows/international", {{"period", "1990-95"}}, "'period'");
  names("/api/flows/international", {{"period", "abcd"}}, "'period'");
  names("/api/projections", {{"scenario", "Baseline!"}}, "'scenario'");
  names("/api/indicators", {{"region", "75"}}, "'region': not taken");
  EXPECT_EQ(Err("/api/import", {}, "POST").status, 400);
}

TEST(ParseRequest, AcceptsWellFormedValues) {
  EXPECT_EQ(Ok("/api/flows/international", {{"period", "1990-1995"}}).period, "1990-1995");
  EXPECT_EQ(Ok("/api/flows/international", {{"period", "2023"}}).period, "2023");
  EXPECT_EQ(*Ok("/api/indicators", {{"year", "2023"}}).year, 2023);
  EXPECT_EQ(Ok("/api/projections", {{"scenario", "kandas-inflow+urban-pull"}}).scenario,
            "kandas-inflow+urban-pull");
  EXPECT_EQ(Ok("/api/series", {{"indicator", "net_internal"}, {"region", "KZ"}}).region, "KZ");
  for (const std::string& id : MapIndicatorIds()) {
    EXPECT_EQ(Ok("/api/map", {{"indicator", id}}).indicator, id);
  }
  EXPECT_EQ(MapIndicatorIds().size(), 8u);
}

TEST(StaticRelativePath, MapsAndRefuses) {
  EXPECT_EQ(StaticRelativePath("/"), "index.html");
  EXPECT_EQ(StaticRelativePath(""), "index.html");
  EXPECT_EQ(StaticRelativePath("/app.js"), "app.js");
  EXPECT_EQ(StaticRelativePath("/assets/a.css"), "assets/a.css");
  EXPECT_EQ(StaticRelativePath("/sub/"), "sub/index.html");
  for (const std::string& bad : std::vector<std::string>{
           "/../secret", "/a/../../secret", "/..", "/.", "/./a", "/a/./b", "//etc/passwd", "/a//b",
           "/a\\b", "/..\\secret", "/c:/windows", std::string("/a\0b", 4),
           std::string("/\0/../x", 7), "/a\x01", "/a\x7f", "relative", "/...:"}) {
    EXPECT_FALSE(StaticRelativePath(bad).has_value()) << bad;
  }
  EXPECT_FALSE(StaticRelativePath("/" + std::string(2000, 'a')).has_value());
  // "..." and ".hidden" are names, not traversal.
  EXPECT_EQ(StaticRelativePath("/.../x"), ".../x");
  const ParseResult parsed = ParseRequest("GET", "/../secret", {});
  ASSERT_TRUE(std::holds_alternative<RequestError>(parsed));
  EXPECT_EQ(std::get<RequestError>(parsed).status, 400);
  EXPECT_EQ(Ok("/app.js", {{"v", "3"}}).static_path, "app.js");
}

TEST(Etag, StrongAndMatching) {
  const std::string etag = StrongEtag("{\"status\": \"ok\"}");
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ(etag, StrongEtag("{\"status\": \"ok\"}"));
  EXPECT_NE(etag, StrongEtag("{\"status\": \"ok\"} "));
  EXPECT_NE(StrongEtag("ab"), StrongEtag("ba"));
  EXPECT_TRUE(EtagMatches(etag, etag));
  EXPECT_TRUE(EtagMatches("*", etag));
  EXPECT_TRUE(EtagMatches("\"x\", " + etag, etag));
  EXPECT_TRUE(EtagMatches("W/" + etag, etag));
  EXPECT_FALSE(EtagMatches("\"x\"", etag));
  EXPECT_FALSE(EtagMatches("", etag));
  EXPECT_FALSE(EtagMatches(etag.substr(0, etag.size() - 1), etag));
  const Response error = ErrorResponse(404, "unknown region '99'");
  EXPECT_EQ(error.status, 404);
  EXPECT_NE(error.body.find("\"error\": \"unknown region '99'\""), std::string::npos);
  EXPECT_NE(error.body.find("\"status\": 404"), std::string::npos);
}

TEST(ConstantTimeEquals, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("s3cret-token-0123", "s3cret-token-0123"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret-token-0124", "s3cret-token-0123"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret-token-012", "s3cret-token-0123"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret-token-01234", "s3cret-token-0123"));
  EXPECT_FALSE(ConstantTimeEquals("", "s3cret-token-0123"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("s3cret-token-0123\0", 18), "s3cret-token-0123"));
}

TEST(ReadStaticFile, StaysInsideTheWebRoot) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("kazmig_static_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "web" / "sub");
  std::ofstream(base / "web" / "index.html") << "<p>index</p>";
  std::ofstream(base / "web" / "sub" / "a.js") << "a";
  std::ofstream(base / "secret.txt") << "secret";
  fs::create_symlink(base / "secret.txt", base / "web" / "link.txt");
  fs::create_symlink(base, base / "web" / "up");
  fs::create_directories(base / "web2");
  std::ofstream(base / "web2" / "x.txt") << "sibling";

  const auto index = ReadStaticFile(base / "web", "index.html");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->body, "<p>index</p>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(ReadStaticFile(base / "web", "sub/a.js")->content_type,
            "text/javascript; charset=utf-8");
  EXPECT_FALSE(ReadStaticFile(base / "web", "link.txt").has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", "up/secret.txt").has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", "../secret.txt").has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", "../web2/x.txt").has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", (base / "secret.txt").string()).has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", "sub").has_value());  // a folder
  EXPECT_FALSE(ReadStaticFile(base / "web", "missing.js").has_value());
  EXPECT_FALSE(ReadStaticFile(base / "web", "index.html", 3).has_value());  // too large
  EXPECT_FALSE(ReadStaticFile(base / "nothing", "index.html").has_value());
  fs::remove_all(base);
}

TEST(ContentTypeOf, ByExtension) {
  EXPECT_EQ(ContentTypeOf("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeOf("a.geojson"), "application/geo+json; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("a"), "application/octet-stream");
}

}  // namespace
}  // namespace kazmig::server

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "web/web_config.h"

namespace coinw::web {
namespace {

const std::string kHash = "$2b$10$8Ks3mUvQbWQfiHCFg1Q3s.0Kr1zYqvYk3J3DHS1Ihn1V2Vg2lJ1E6";

std::string error_of(const std::string& yaml) {
  try {
    parse_web_config(yaml, "/etc/coinw/web.yml");
  } catch (const WebConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(WebConfigParse, LoadsFileAndResolvesRelativePaths) {
  const std::string dir = COINW_TEST_DATA "/web";
  const auto cfg = load_web_config(dir + "/web-config.yml");
  EXPECT_EQ(cfg.cert_file, dir + "/tls/server.pem");
  EXPECT_EQ(cfg.key_file, "/etc/coinw/server.key");
  EXPECT_EQ(cfg.client_ca_file, dir + "/ca.pem");
  EXPECT_EQ(cfg.min_tls_version, TlsVersion::tls13);
  EXPECT_TRUE(cfg.tls());
  EXPECT_TRUE(cfg.client_auth());
  ASSERT_TRUE(cfg.auth());
  EXPECT_EQ(cfg.basic_auth_users.at("prometheus"), kHash);
  EXPECT_EQ(cfg.headers.at("X-Frame-Options"), "deny");
}

TEST(WebConfigParse, EmptyMeansPlainHttpWithoutAuth) {
  for (const char* yaml : {"", "# nothing\n", "basic_auth_users:\n"}) {
    const auto cfg = parse_web_config(yaml, "web.yml");
    EXPECT_FALSE(cfg.tls()) << yaml;
    EXPECT_FALSE(cfg.auth()) << yaml;
  }
}

TEST(WebConfigParse, MissingFileNamesIt) {
  try {
    load_web_config("/nonexistent/web.yml");
    FAIL();
  } catch (const WebConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read /nonexistent/web.yml: "), std::string::npos) << e.what();
  }
}

TEST(WebConfigParse, ErrorsNameFileLineAndKey) {
  struct Case {
    std::string yaml, want;
  };
  const Case cases[] = {
      {"foo: 1\n", "/etc/coinw/web.yml:1: foo: unknown key"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  bogus: 1\n", ":4: tls_server_config.bogus: unknown key"},
      {"http_server_config:\n  http3: true\n", ":2: http_server_config.http3: unknown key"},
      {"http_server_config:\n  http2: maybe\n", ":2: http_server_config.http2: must be true or false"},
      {"http_server_config:\n  headers:\n    Server: x\n", ":3: http_server_config.headers.Server: header not allowed"},
      {"tls_server_config:\n  cert_file: a\n", ":2: tls_server_config: cert_file and key_file must be given together"},
      {"tls_server_config:\n  client_ca_file: ca\n", "tls_server_config: cert_file and key_file are required"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS11\n",
       ":4: tls_server_config.min_version: must be TLS12 or TLS13, got 'TLS11'"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequestClientCert\n",
       ":4: tls_server_config.client_auth_type: must be RequireAndVerifyClientCert or NoClientCert, got "
       "'RequestClientCert'"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
       "needs client_ca_file"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n  client_auth_type: NoClientCert\n",
       "client_ca_file is set but client_auth_type is NoClientCert"},
      {"tls_server_config:\n  cert_file: [a]\n  key_file: b\n", ":2: tls_server_config.cert_file: must be a string"},
      {"tls_server_config: 3\n", ":1: tls_server_config: must be a map, got a scalar"},
      {"- a\n", "/etc/coinw/web.yml:1: must be a map, got a list"},
      {"basic_auth_users:\n  a: " + kHash + "\n  a: " + kHash + "\n",
       ":3: basic_auth_users.a: duplicate key (first at line 2)"},
      {"basic_auth_users:\n  \"a:b\": " + kHash + "\n", "basic_auth_users.a:b: user name must not contain ':'"},
      {"basic_auth_users: {\n", "/etc/coinw/web.yml:"},
  };
  for (const auto& c : cases) {
    const auto err = error_of(c.yaml);
    EXPECT_NE(err.find(c.want), std::string::npos) << "yaml:\n" << c.yaml << "error: " << err;
  }
}

TEST(WebConfigParse, BadHashNamesUserButNeverPrintsTheHash) {
  const std::string secrets[] = {"plaintext-password", "$1$abc$defghijklmnop", kHash.substr(0, 59),
                                 "$2b$03$" + kHash.substr(7), "$2x$10$" + kHash.substr(7)};
  for (const auto& secret : secrets) {
    const auto err = error_of("basic_auth_users:\n  alice: " + secret + "\n");
    EXPECT_NE(err.find(":2: basic_auth_users.alice: not a bcrypt hash"), std::string::npos) << err;
    EXPECT_EQ(err.find(secret), std::string::npos) << err;
  }
  const auto err = error_of("basic_auth_users:\n  alice: {nested: secret-value}\n");
  EXPECT_NE(err.find("basic_auth_users.alice: must be a string"), std::string::npos) << err;
  EXPECT_EQ(err.find("secret-value"), std::string::npos) << err;
}

// exporter-toolkit's other TLS keys: a file shared with other exporters is accepted.
TEST(WebConfigParse, ExporterToolkitTlsKeys) {
  const auto cfg = parse_web_config(
      "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  client_ca_file: ca.pem\n"
      "  min_version: TLS12\n  max_version: TLS13\n"
      "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n"
      "  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n"
      "  client_allowed_sans: [prometheus.example, 10.0.0.1]\n",
      "web.yml");
  EXPECT_EQ(cfg.max_tls_version, TlsVersion::tls13);
  EXPECT_EQ(cfg.cipher_suites, std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256"})
      << "TLS 1.3 suites change nothing";
  EXPECT_EQ(cfg.curves, (std::vector<std::string>{"X25519", "P-256"}));
  EXPECT_FALSE(cfg.prefer_server_cipher_suites);
  EXPECT_EQ(cfg.client_allowed_sans, (std::vector<std::string>{"prometheus.example", "10.0.0.1"}));
  EXPECT_FALSE(parse_web_config("", "web.yml").max_tls_version);
  EXPECT_TRUE(parse_web_config("", "web.yml").prefer_server_cipher_suites);
}

TEST(WebConfigParse, EveryProblemAtOnceInLineOrder) {
  try {
    parse_web_config(
        "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  min_version: TLS13\n  max_version: TLS12\n"
        "  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n  curve_preferences: [CurveP224]\n"
        "  client_allowed_sans: [a]\nbasic_auth_users:\n  bob: plain\nhttp_server_config:\n  http2: maybe\n",
        "/etc/coinw/web.yml");
    FAIL();
  } catch (const WebConfigError& e) {
    EXPECT_EQ(e.problems,
              (std::vector<std::string>{
                  "/etc/coinw/web.yml:2: tls_server_config: client_allowed_sans needs client certificates "
                  "(client_ca_file)",
                  "/etc/coinw/web.yml:2: tls_server_config: max_version is below min_version",
                  "/etc/coinw/web.yml:6: tls_server_config.cipher_suites[0]: unsupported value "
                  "\"TLS_RSA_WITH_RC4_128_SHA\"",
                  "/etc/coinw/web.yml:7: tls_server_config.curve_preferences[0]: unsupported value "
                  "\"CurveP224\"",
                  "/etc/coinw/web.yml:10: basic_auth_users.bob: not a bcrypt hash (expected $2a$, $2b$ or $2y$)",
                  "/etc/coinw/web.yml:12: http_server_config.http2: must be true or false, got 'maybe'",
              }));
  }
}

TEST(WebConfigParse, NoEnvironmentExpansionAsInExporterToolkit) {
  const auto cfg = parse_web_config("http_server_config:\n  headers:\n    X-Frame-Options: ${HOME}$$\n", "web.yml");
  EXPECT_EQ(cfg.headers.at("X-Frame-Options"), "${HOME}$$");
}

// A FIFO with no writer would block open() for ever, and with it the start.
TEST(WebConfigParse, FifoIsRefusedWithoutBlocking) {
  const std::string fifo = ::testing::TempDir() + "/coinw-web-fifo-" + std::to_string(::getpid());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    load_web_config(fifo);
    ADD_FAILURE() << "accepted a FIFO";
  } catch (const WebConfigError& e) {
    EXPECT_EQ(std::string(e.what()), fifo + " is not a regular file");
  }
  ::unlink(fifo.c_str());
}

TEST(WebConfigParse, BcryptShape) {
  EXPECT_TRUE(looks_like_bcrypt(kHash));
  EXPECT_TRUE(looks_like_bcrypt("$2a$" + kHash.substr(4)));
  EXPECT_TRUE(looks_like_bcrypt("$2y$31$" + kHash.substr(7)));
  EXPECT_FALSE(looks_like_bcrypt("$2b$32$" + kHash.substr(7)));
  EXPECT_FALSE(looks_like_bcrypt(kHash.substr(0, 59) + "!"));
}

}  // namespace
}  // namespace coinw::web

#include <gtest/gtest.h>

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
    EXPECT_NE(std::string(e.what()).find("/nonexistent/web.yml: cannot read"), std::string::npos) << e.what();
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
       ":4: tls_server_config.min_version: unsupported value \"TLS11\""},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequestClientCert\n",
       ":4: tls_server_config.client_auth_type: unsupported value"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
       "needs client_ca_file"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n  client_auth_type: NoClientCert\n",
       "client_ca_file is set but client_auth_type is NoClientCert"},
      {"tls_server_config:\n  cert_file: [a]\n  key_file: b\n", ":2: tls_server_config.cert_file: must be a string"},
      {"tls_server_config: 3\n", ":1: tls_server_config: must be a mapping"},
      {"- a\n", ":1: must be a mapping"},
      {"basic_auth_users:\n  a: " + kHash + "\n  a: " + kHash + "\n", ":3: basic_auth_users.a: duplicate key"},
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

TEST(WebConfigParse, BcryptShape) {
  EXPECT_TRUE(looks_like_bcrypt(kHash));
  EXPECT_TRUE(looks_like_bcrypt("$2a$" + kHash.substr(4)));
  EXPECT_TRUE(looks_like_bcrypt("$2y$31$" + kHash.substr(7)));
  EXPECT_FALSE(looks_like_bcrypt("$2b$32$" + kHash.substr(7)));
  EXPECT_FALSE(looks_like_bcrypt(kHash.substr(0, 59) + "!"));
}

}  // namespace
}  // namespace coinw::web

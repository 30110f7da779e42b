// HTTPS with certificates made at test time: server identity, client
// certificates, minimum TLS version, and clear errors for unusable files.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <fstream>

#include "support/test_ca.h"
#include "web/server.h"

namespace coinw::web {
namespace {

Handlers handlers() {
  Handlers h;
  h.metrics = [](const ScrapeRequest&) {
    Response r;
    r.body = "up 1\n";
    return r;
  };
  return h;
}

class WebTlsTest : public ::testing::Test {
 protected:
  WebConfig config() const {
    WebConfig cfg;
    cfg.cert_file = ca_.cert_file();
    cfg.key_file = ca_.key_file();
    return cfg;
  }
  // A client certificate signed by the test CA.
  void make_client_cert() const {
    const std::string script =
        "cd '" + ca_.dir() +
        "' && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key "
        "-out client.csr -subj '/CN=prometheus' && "
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 1";
    ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0);
  }
  std::string file(const char* name) const { return ca_.dir() + "/" + name; }
  std::string start_error(const WebConfig& cfg) const {
    WebServer s("127.0.0.1:0", cfg, handlers());
    try {
      s.start();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(started)";
  }

  testing::TestCa ca_;
};

TEST_F(WebTlsTest, ClientTrustingTheCaConnectsOthersDoNot) {
  WebServer s("127.0.0.1:0", config(), handlers());
  s.start();
  httplib::SSLClient good("127.0.0.1", s.port());
  good.set_ca_cert_path(ca_.ca_file());
  auto r = good.Get("/metrics");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "up 1\n");

  httplib::SSLClient wrong_ca("127.0.0.1", s.port());
  wrong_ca.set_ca_cert_path(ca_.other_ca_file());
  EXPECT_FALSE(wrong_ca.Get("/metrics"));

  httplib::Client plain("127.0.0.1", s.port());
  auto p = plain.Get("/metrics");
  EXPECT_TRUE(!p || p->status != 200) << "plain HTTP must not be served on a TLS port";
}

TEST_F(WebTlsTest, ClientCertificateRequiredWhenCaConfigured) {
  make_client_cert();
  auto cfg = config();
  cfg.client_ca_file = ca_.ca_file();
  WebServer s("127.0.0.1:0", cfg, handlers());
  s.start();

  httplib::SSLClient anonymous("127.0.0.1", s.port());
  anonymous.set_ca_cert_path(ca_.ca_file());
  EXPECT_FALSE(anonymous.Get("/metrics"));

  httplib::SSLClient with_cert("127.0.0.1", s.port(), file("client.pem"), file("client.key"));
  with_cert.set_ca_cert_path(ca_.ca_file());
  auto r = with_cert.Get("/metrics");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);

  // The server's own certificate is signed by the CA but a self-signed one from another CA is not.
  httplib::SSLClient foreign("127.0.0.1", s.port(), ca_.other_ca_file(), file("other.key"));
  foreign.set_ca_cert_path(ca_.ca_file());
  EXPECT_FALSE(foreign.Get("/metrics"));
}

TEST_F(WebTlsTest, MinimumVersionTls13RefusesTls12Clients) {
  auto cfg = config();
  cfg.min_tls_version = TlsVersion::tls13;
  WebServer s("127.0.0.1:0", cfg, handlers());
  s.start();

  httplib::SSLClient old("127.0.0.1", s.port());
  old.set_ca_cert_path(ca_.ca_file());
  ASSERT_EQ(SSL_CTX_set_max_proto_version(old.ssl_context(), TLS1_2_VERSION), 1);
  EXPECT_FALSE(old.Get("/metrics"));

  httplib::SSLClient current("127.0.0.1", s.port());
  current.set_ca_cert_path(ca_.ca_file());
  EXPECT_TRUE(current.Get("/metrics"));
}

TEST_F(WebTlsTest, UnusableFilesAreNamed) {
  auto cfg = config();
  cfg.cert_file = file("missing.pem");
  auto err = start_error(cfg);
  EXPECT_NE(err.find("cannot read cert_file " + file("missing.pem")), std::string::npos) << err;

  std::ofstream(file("garbage.pem")) << "not a certificate\n";
  cfg = config();
  cfg.cert_file = file("garbage.pem");
  err = start_error(cfg);
  EXPECT_NE(err.find("cert_file " + file("garbage.pem")), std::string::npos) << err;

  cfg = config();
  cfg.key_file = file("garbage.pem");
  err = start_error(cfg);
  EXPECT_NE(err.find("key_file " + file("garbage.pem")), std::string::npos) << err;

  cfg = config();
  cfg.key_file = file("other.key");
  err = start_error(cfg);
  EXPECT_NE(err.find("key_file " + file("other.key")), std::string::npos) << err;
  EXPECT_NE(err.find("mismatch"), std::string::npos) << err;

  cfg = config();
  cfg.client_ca_file = file("garbage.pem");
  err = start_error(cfg);
  EXPECT_NE(err.find("client_ca_file " + file("garbage.pem")), std::string::npos) << err;
}

}  // namespace
}  // namespace coinw::web

// exporter-toolkit's other TLS keys, applied through OpenSSL, and the web
// config file re-read with the certificates it names: rotation without restart.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "support/bcrypt.h"
#include "support/test_ca.h"
#include "web/server.h"

namespace coinw::web {
namespace {

struct Handshake {
  bool ok = false;
  std::string peer_cn, cipher;
};

// One TLS handshake with a plain OpenSSL client trusting `ca`.
Handshake handshake(int port, const std::string& ca, const std::function<void(SSL_CTX*)>& tweak = {}) {
  Handshake out;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (tweak) tweak(ctx);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SSL* ssl = SSL_new(ctx);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    SSL_set_fd(ssl, fd);
    // TLS 1.3 sends the server's verdict on a client certificate after the
    // handshake: a request makes it arrive.
    const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char buf[256];
    if (SSL_connect(ssl) == 1 && SSL_write(ssl, get.data(), static_cast<int>(get.size())) > 0 &&
        SSL_read(ssl, buf, sizeof buf) > 0) {
      out.ok = true;
      out.cipher = SSL_get_cipher_name(ssl);
      if (X509* cert = SSL_get1_peer_certificate(ssl)) {
        char cn[256] = "";
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
        out.peer_cn = cn;
        X509_free(cert);
      }
    }
  }
  SSL_free(ssl);
  ::close(fd);
  SSL_CTX_free(ctx);
  return out;
}

Handlers handlers() {
  Handlers h;
  h.metrics = [](const ScrapeRequest&) { return text_response(200, "up 1\n"); };
  return h;
}

class WebTlsReload : public ::testing::Test {
 protected:
  std::string path(const char* name) const { return ca_.dir() + "/" + name; }
  void run(const std::string& script) const {
    ASSERT_EQ(std::system(("(cd '" + ca_.dir() + "' && " + script + ") >/dev/null 2>&1").c_str()), 0) << script;
  }
  // A certificate for 127.0.0.1 signed by the test CA, with its own key and
  // common name; `san` as in openssl's subjectAltName.
  void make_cert(const std::string& name, const std::string& cn, const std::string& san = "IP:127.0.0.1") const {
    run("printf 'subjectAltName=" + san + "\\n' > " + name +
        ".cnf && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
        name + ".key -out " + name + ".csr -subj '/CN=" + cn + "' && openssl x509 -req -in " + name +
        ".csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial -out " +
        name + ".pem -days 1 -extfile " + name + ".cnf");
  }
  // Replaces a file the way cert-manager and kubelet do: a new file renamed over the old.
  void replace(const std::string& from, const std::string& to) const {
    std::filesystem::copy_file(path(from.c_str()), path((to + ".tmp").c_str()),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(path((to + ".tmp").c_str()), path(to.c_str()));
  }
  void write_web_config(const std::string& extra = "") const {
    std::ofstream(path("web.yml.tmp")) << "tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\n" << extra;
    std::filesystem::rename(path("web.yml.tmp"), path("web.yml"));
  }
  // Serves certificate "first" (CN first) through web.yml with `extra` TLS keys.
  std::unique_ptr<WebServer> serve_first(const std::string& extra = "") const {
    make_cert("first", "first");
    replace("first.pem", "live.pem");
    replace("first.key", "live.key");
    write_web_config(extra);
    auto s = std::make_unique<WebServer>(ServerOptions{{"127.0.0.1:0"}, "/metrics", 0, path("web.yml")},
                                         load_web_config(path("web.yml")), handlers());
    s->start();
    return s;
  }

  testing::TestCa ca_;
};

TEST_F(WebTlsReload, RotatedCertificateServesOnNewConnectionsWithoutRestart) {
  make_cert("second", "second");
  auto s = serve_first();
  EXPECT_EQ(handshake(s->port(), ca_.ca_file()).peer_cn, "first");

  replace("second.key", "live.key");
  replace("second.pem", "live.pem");
  // Files are looked at no more than once a second: wait for a connection to see it.
  std::string cn;
  for (int i = 0; i < 100 && cn != "second"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cn = handshake(s->port(), ca_.ca_file()).peer_cn;
  }
  EXPECT_EQ(cn, "second");
}

TEST_F(WebTlsReload, ReloadNowAndABrokenRotationKeepsTheWorkingCertificate) {
  make_cert("second", "second");
  auto s = serve_first();

  // Half a rotation: the new certificate with the old key.
  replace("second.pem", "live.pem");
  const auto error = s->reload_web_config();
  EXPECT_NE(error.find("key_file " + path("live.key")), std::string::npos) << error;
  EXPECT_EQ(handshake(s->port(), ca_.ca_file()).peer_cn, "first");

  replace("second.key", "live.key");
  EXPECT_EQ(s->reload_web_config(), "");
  EXPECT_EQ(handshake(s->port(), ca_.ca_file()).peer_cn, "second") << "SIGHUP: the next connection";

  // A broken file is refused as a whole, every problem named.
  std::ofstream(path("web.yml")) << "tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\n"
                                    "  min_version: TLS99\n  bogus: 1\n";
  EXPECT_EQ(s->reload_web_config(), path("web.yml") +
                                        ":4: tls_server_config.min_version: must be TLS12 or TLS13, got "
                                        "'TLS99'\n" +
                                        path("web.yml") + ":5: tls_server_config.bogus: unknown key");
  EXPECT_TRUE(handshake(s->port(), ca_.ca_file()).ok);
}

TEST_F(WebTlsReload, UsersChangeWithTheFile) {
  auto s = serve_first("basic_auth_users:\n  alice: " + testing::bcrypt("one") + "\n");
  httplib::SSLClient c("127.0.0.1", s->port());
  c.set_ca_cert_path(ca_.ca_file());
  c.set_basic_auth("alice", "one");
  EXPECT_EQ(c.Get("/metrics")->status, 200);

  write_web_config("basic_auth_users:\n  alice: " + testing::bcrypt("two") + "\n");
  EXPECT_EQ(s->reload_web_config(), "");
  EXPECT_EQ(c.Get("/metrics")->status, 401);
  c.set_basic_auth("alice", "two");
  EXPECT_EQ(c.Get("/metrics")->status, 200);

  std::ofstream(path("web.yml")) << "basic_auth_users: {}\n";
  EXPECT_EQ(s->reload_web_config(), "turning TLS on or off needs a restart");
  EXPECT_EQ(c.Get("/metrics")->status, 200);
}

TEST_F(WebTlsReload, VersionsSuitesAndCurves) {
  auto s = serve_first(
      "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n"
      "  curve_preferences: [CurveP384]\n  prefer_server_cipher_suites: true\n");
  // The client lists P-256 too: in TLS 1.2 it also names the curves of the server certificate it accepts.
  const auto ok = handshake(s->port(), ca_.ca_file(), [](SSL_CTX* c) { SSL_CTX_set1_groups_list(c, "P-384:P-256"); });
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
  EXPECT_FALSE(handshake(s->port(), ca_.ca_file(), [](SSL_CTX* c) { SSL_CTX_set1_groups_list(c, "P-256"); }).ok)
      << "only P-384 is offered";
  EXPECT_FALSE(
      handshake(s->port(), ca_.ca_file(), [](SSL_CTX* c) { SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION); }).ok)
      << "TLS 1.3 is above max_version";
  EXPECT_FALSE(handshake(s->port(), ca_.ca_file(),
                         [](SSL_CTX* c) {
                           SSL_CTX_set1_groups_list(c, "P-384:P-256");
                           SSL_CTX_set_cipher_list(c, "ECDHE-ECDSA-AES128-GCM-SHA256");
                         })
                   .ok)
      << "a suite that is not listed";
}

TEST_F(WebTlsReload, ClientAllowedSans) {
  make_cert("allowed", "prometheus", "DNS:prometheus.example,email:ops@example.com");
  make_cert("other", "intruder", "DNS:intruder.example");
  auto s = serve_first(
      "  client_ca_file: ca.pem\n  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_allowed_sans: [ops@example.com, other.example]\n");
  auto with = [&](const std::string& name) {
    return handshake(s->port(), ca_.ca_file(),
                     [&](SSL_CTX* c) {
                       SSL_CTX_use_certificate_file(c, path((name + ".pem").c_str()).c_str(), SSL_FILETYPE_PEM);
                       SSL_CTX_use_PrivateKey_file(c, path((name + ".key").c_str()).c_str(), SSL_FILETYPE_PEM);
                     })
        .ok;
  };
  EXPECT_TRUE(with("allowed"));
  EXPECT_FALSE(with("other"));

  write_web_config("  client_ca_file: ca.pem\n  client_allowed_sans: [intruder.example]\n");
  EXPECT_EQ(s->reload_web_config(), "");
  EXPECT_FALSE(with("allowed"));
  EXPECT_TRUE(with("other"));
}

}  // namespace
}  // namespace coinw::web

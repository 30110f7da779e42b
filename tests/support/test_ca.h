#pragma once
// A throwaway CA and a server certificate for 127.0.0.1 and localhost, made at
// test time with the openssl CLI, removed with the object.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace coinw::testing {

class TestCa {
 public:
  TestCa() {
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("coinw-test-ca-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script =
        "cd '" + d +
        "' && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf && "
        "openssl req -x509 " +
        ec +
        " -keyout ca.key -out ca.pem -days 1 -subj '/CN=coinw test CA' && "
        "openssl req " +
        ec +
        " -keyout server.key -out server.csr -subj '/CN=127.0.0.1' && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
        "-days 1 -extfile ext.cnf && "
        "openssl req -x509 " +
        ec + " -keyout other.key -out other-ca.pem -days 1 -subj '/CN=other CA'";
    if (std::system(("(" + script + ") >/dev/null 2>&1").c_str()) != 0)
      throw std::runtime_error("openssl could not make the test certificates");
  }
  ~TestCa() { std::filesystem::remove_all(dir_); }
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  std::string ca_file() const { return (dir_ / "ca.pem").string(); }
  std::string other_ca_file() const { return (dir_ / "other-ca.pem").string(); }
  std::string cert_file() const { return (dir_ / "server.pem").string(); }
  std::string key_file() const { return (dir_ / "server.key").string(); }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace coinw::testing

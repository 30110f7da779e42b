#pragma once
// Gzip bodies assembled from pieces compressed once and reused: each piece is a
// raw deflate stream ended by a sync flush, so pieces compressed separately
// join into one deflate stream (as pigz joins its blocks), and the CRC-32 of
// the whole follows from the pieces' CRCs. The result is a single gzip member
// that every reader accepts, not only those that read multi-member streams.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace coinw::exposition {

// zlib level 1: a piece is compressed once per data change, and at level 1 a
// 26 MB exposition takes a third of the default level's time (docs/performance.md).
inline constexpr int kGzipLevel = 1;

struct DeflatedPiece {
  std::string data;   // raw deflate, byte-aligned, not final
  uint32_t crc = 0;   // CRC-32 of the uncompressed text
  uint64_t size = 0;  // uncompressed bytes
};

DeflatedPiece deflate_piece(std::string_view text, int level = kGzipLevel);

// Collects pieces in order and closes them into one gzip member.
class GzipJoiner {
 public:
  GzipJoiner();
  void add(const std::shared_ptr<const DeflatedPiece>& piece);
  // The member's parts, in order: header, every piece's data, final block and trailer.
  std::vector<std::shared_ptr<const std::string>> finish() &&;

 private:
  std::vector<std::shared_ptr<const std::string>> parts_;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
};

}  // namespace coinw::exposition

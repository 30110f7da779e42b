#include "exposition/gzip.h"

#include <zlib.h>

#include <stdexcept>
#include <vector>

namespace coinw::exposition {
namespace {

// RFC 1952: magic, deflate, no flags, no mtime, no extra flags, OS unknown.
const std::string kGzipHeader("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
// An empty final block with fixed Huffman codes: ends the joined deflate stream.
const std::string kFinalBlock("\x03\x00", 2);

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

DeflatedPiece deflate_piece(std::string_view text, int level) {
  DeflatedPiece out;
  out.size = text.size();
  out.crc = static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
  z_stream z{};
  // Negative window bits: raw deflate, no zlib or gzip wrapper of its own.
  if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());  // 100,000 invitees render about 52 MB
  // Through a small buffer: a buffer of deflateBound() would touch as many pages
  // as the text has, for output a tenth of that.
  std::vector<char> buf(256 * 1024);
  int rc = Z_OK;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    rc = deflate(&z, Z_SYNC_FLUSH);
    out.data.append(buf.data(), buf.size() - z.avail_out);
    // The flush is complete once deflate leaves output space unused.
  } while (rc == Z_OK && z.avail_out == 0);
  deflateEnd(&z);
  // Z_BUF_ERROR: the flush had ended exactly at the end of the previous buffer.
  if ((rc != Z_OK && rc != Z_BUF_ERROR) || z.avail_in != 0) throw std::runtime_error("deflate failed");
  out.data.shrink_to_fit();
  return out;
}

GzipJoiner::GzipJoiner() { parts_.push_back(std::make_shared<const std::string>(kGzipHeader)); }

void GzipJoiner::add(const std::shared_ptr<const DeflatedPiece>& piece) {
  if (piece->size == 0) return;
  crc_ = static_cast<uint32_t>(crc32_combine(crc_, piece->crc, static_cast<z_off_t>(piece->size)));
  size_ += piece->size;
  // Shares the piece: the part points into it and keeps it alive.
  parts_.push_back(std::shared_ptr<const std::string>(piece, &piece->data));
}

std::vector<std::shared_ptr<const std::string>> GzipJoiner::finish() && {
  std::string tail = kFinalBlock;
  put_le32(tail, crc_);
  put_le32(tail, static_cast<uint32_t>(size_));  // ISIZE: the size modulo 2^32
  parts_.push_back(std::make_shared<const std::string>(std::move(tail)));
  return std::move(parts_);
}

}  // namespace coinw::exposition

/* SHA-256 (FIPS 180-4) in plain JavaScript, for the public draw pages: crypto.subtle exists only in
   secure contexts (https), and the bureau's intranet serves the pages over plain http.
   BureauSha256.bytes(Uint8Array) and BureauSha256.text(string, hashed as UTF-8) give lowercase hex. */
(function () {
  "use strict";
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Uint32Array(64);
  var HEX = [];
  for (var i = 0; i < 256; i++) HEX.push((i < 16 ? "0" : "") + i.toString(16));

  function block(H, data, offset) {
    var t, a, b, c, d, e, f, g, h, s0, s1, t1, t2;
    for (t = 0; t < 16; t++) {
      var p = offset + t * 4;
      W[t] = (data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3];
    }
    for (t = 16; t < 64; t++) {
      var x = W[t - 15], y = W[t - 2];
      s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
    }
    a = H[0]; b = H[1]; c = H[2]; d = H[3]; e = H[4]; f = H[5]; g = H[6]; h = H[7];
    for (t = 0; t < 64; t++) {
      s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }

  function bytes(message) {
    var H = new Int32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    ]);
    var length = message.length;
    var full = length - (length % 64);
    for (var offset = 0; offset < full; offset += 64) block(H, message, offset);
    // The last block(s): the rest, 0x80, zeros, and the length in bits as a 64-bit big-endian number.
    var rest = length - full;
    var tail = new Uint8Array(rest < 56 ? 64 : 128);
    tail.set(message.subarray(full));
    tail[rest] = 0x80;
    var bits = length * 8;
    var high = Math.floor(bits / 0x100000000), low = bits >>> 0;
    var end = tail.length;
    tail[end - 8] = high >>> 24; tail[end - 7] = (high >>> 16) & 255;
    tail[end - 6] = (high >>> 8) & 255; tail[end - 5] = high & 255;
    tail[end - 4] = low >>> 24; tail[end - 3] = (low >>> 16) & 255;
    tail[end - 2] = (low >>> 8) & 255; tail[end - 1] = low & 255;
    for (var o = 0; o < tail.length; o += 64) block(H, tail, o);
    var out = "";
    for (var j = 0; j < 8; j++) {
      var v = H[j];
      out += HEX[(v >>> 24) & 255] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255];
    }
    return out;
  }

  var encoder = new TextEncoder();
  function text(value) {
    return bytes(encoder.encode(value));
  }

  window.BureauSha256 = { bytes: bytes, text: text };
})();

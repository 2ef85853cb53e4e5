/* wol's static search index, read in the browser: window.WolIndex.open(base) → {meta(), search(query, keep, limit)}.
 *
 * `wol build` writes the index into <site>/search/ (meta.json, v/ forms → stems, p/ postings,
 * f/ typo candidates, d/ document records) with weights computed by the Python code that ranks
 * `wol search`. This file only adds those weights up: it holds no ranking of its own, no stemmer,
 * and fetches only the shards a query needs (each once; they are kept in memory).
 */
(function () {
  "use strict";

  var CRC_TABLE = new Uint32Array(256).map(function (_, n) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });

  /** zlib's CRC-32 of the text's UTF-8 bytes (unsigned), as Python's zlib.crc32. */
  function crc32(text) {
    var c = 0xffffffff;
    var bytes = new TextEncoder().encode(text);
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  /** Optimal-string-alignment distance of two letter arrays, or max + 1 once it must exceed max:
   *  an insert, a delete, a substitution and a swap of two adjacent letters are one edit each. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null, prev = [], j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i], least = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (before && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
        row.push(v);
        if (v < least) least = v;
      }
      if (least > max) return max + 1;
      before = prev;
      prev = row;
    }
    return prev[b.length];
  }

  var WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;
  var own = function (object, key) { return !!object && Object.prototype.hasOwnProperty.call(object, key); };

  /** The query's words as `wol search` reads them: lower-cased, 2 letters or more, no stop words, once each. */
  function wordsOf(query, stop) {
    var seen = new Set();
    // words first, then lower case, as whoosh does (`İ` lower-cases to two code points)
    return (query.match(WORD) || []).map(function (word) { return word.toLowerCase(); }).filter(function (word) {
      if (Array.from(word).length < 2 || stop.has(word) || seen.has(word)) return false;
      seen.add(word);
      return true;
    });
  }

  function open(base) {
    var cache = new Map(), version = "";

    function load(url, options) {
      return fetch(url, options).then(function (r) { return r.ok ? r.json() : null; });
    }

    // meta.json is revalidated with the host; every shard is asked for with its version
    // (`?v=`), so a browser's cache never mixes shards of two builds.
    function meta() {
      if (!cache.has("meta.json")) {
        cache.set("meta.json", load(base + "meta.json", { cache: "no-cache" }).then(function (info) {
          version = info && info.version ? "?v=" + encodeURIComponent(info.version) : "";
          return info;
        }).catch(function () { cache.delete("meta.json"); return null; }));
      }
      return cache.get("meta.json");
    }

    function get(path) {
      if (!cache.has(path)) {
        cache.set(path, load(base + path + version).catch(function () { cache.delete(path); return null; }));
      }
      return cache.get(path);
    }

    /** {stems, forms} a word reaches: its own stem, or those of the indexed forms nearest to a typo. */
    function match(word, info) {
      return get("v/" + (crc32(word) % info.vocab) + ".json").then(function (vocab) {
        if (own(vocab, word)) return { stems: [vocab[word]], forms: [word] };
        var letters = Array.from(word);
        var typo = info.typo || {};
        var edits = letters.length >= typo.two ? 2 : letters.length >= typo.one ? 1 : 0;
        var listed = new Set(info.forms || []);
        var lengths = [];
        for (var n = letters.length - edits; edits && n <= letters.length + edits; n++) if (listed.has(n)) lengths.push(n);
        return Promise.all(lengths.map(function (n) { return get("f/" + n + ".json"); })).then(function (lists) {
          var least = edits + 1, found = [];
          function consider(form, stem) {
            var d = distance(letters, Array.from(form), Math.min(edits, least));
            if (d < least) { least = d; found = [[form, stem]]; } else if (d === least && d <= edits) found.push([form, stem]);
          }
          lists.forEach(function (list) {
            if (!list) return;
            (list.same || []).forEach(function (form) { consider(form, form); });
            Object.keys(list.stem || {}).forEach(function (form) { consider(form, list.stem[form]); });
          });
          return { stems: found.map(function (f) { return f[1]; }), forms: found.map(function (f) { return f[0]; }) };
        });
      });
    }

    function postingsPath(stem, info, big) {
      if (big.has(stem)) return "p/big/" + ("0000000" + crc32(stem).toString(16)).slice(-8) + ".json";
      return "p/" + (crc32(stem) % info.postings) + ".json";
    }

    function int8(text) {
      var bytes = atob(text), out = new Int8Array(bytes.length);
      for (var i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i) << 24 >> 24;
      return out;
    }

    var vocabulary = null;  // token → id, once a query needs meaning
    function tokensOf(word) {
      if (!vocabulary) {
        vocabulary = get("t/vocab.json").then(function (names) {
          var map = new Map();
          (names || []).forEach(function (name, id) { if (name && !map.has(name)) map.set(name, id); });
          return map;
        });
      }
      return vocabulary.then(function (vocab) { return wordPieces(word, vocab); });
    }

    /** The model's token ids of a word, as its tokenizer splits it (BERT's, uncased): accents off,
     *  punctuation apart, then the longest known pieces from the left; a part it cannot split is left out. */
    function wordPieces(word, vocab) {
      var text = word.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
      var ids = [];
      (text.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}\s]/gu) || []).forEach(function (part) {
        var chars = Array.from(part), pieces = [], start = 0;
        if (chars.length > 100) return;
        while (start < chars.length) {
          var end = chars.length, found = -1;
          while (end > start) {
            var piece = (start ? "##" : "") + chars.slice(start, end).join("");
            if (vocab.has(piece)) { found = vocab.get(piece); break; }
            end--;
          }
          if (found < 0) return;  // [UNK]: the whole part
          pieces.push(found);
          start = end;
        }
        ids = ids.concat(pieces);
      });
      return ids;
    }

    /** The query's vector: each word's tokens' vectors (scale × int8) added up, then the words'. */
    function queryVector(words, info) {
      var per = info.meaning.tokens_per_shard;
      return Promise.all(words.map(tokensOf)).then(function (lists) {
        var shards = new Set();
        lists.forEach(function (ids) { ids.forEach(function (id) { shards.add(Math.floor(id / per)); }); });
        var wanted = Array.from(shards);
        return Promise.all(wanted.map(function (k) { return get("t/" + k + ".json"); })).then(function (loaded) {
          var byShard = new Map();
          wanted.forEach(function (k, i) { byShard.set(k, loaded[i]); });
          var total = null, known = 0;
          lists.forEach(function (ids) {
            if (!ids.length) return;
            var word = null;
            ids.forEach(function (id) {
              var shard = byShard.get(Math.floor(id / per));
              if (!shard) return;
              var scale = shard[0][id % per], row = int8(shard[1][id % per]);
              if (!word) word = new Float64Array(row.length);
              for (var j = 0; j < row.length; j++) word[j] += scale * row[j];
            });
            if (!word) return;
            known++;
            if (!total) total = new Float64Array(word.length);
            for (var j = 0; j < word.length; j++) total[j] += word[j];
          });
          return known >= (info.meaning.min_words || 1) ? total : null;
        });
      });
    }

    function cosine(row, vector) {
      var dot = 0, a = 0, b = 0;
      for (var j = 0; j < row.length; j++) { dot += row[j] * vector[j]; a += row[j] * row[j]; b += vector[j] * vector[j]; }
      var norms = Math.sqrt(a) * (Math.sqrt(b) || 1);
      return norms > 0 ? dot / norms : 0;
    }

    /** `fusion.py`'s rule: every lexical hit and the documents nearest in meaning, scored together. */
    function fuse(ranked, info) {
      var m = info.meaning;
      return queryVector(ranked.words, info).then(function (vector) {
        if (!vector) return ranked;
        return get("k/centroids.json").then(function (centroids) {
          var centres = (centroids || []).map(function (c, i) { return [cosine(int8(c), vector), i]; })
            .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; }).slice(0, m.probe);
          return Promise.all(centres.map(function (c) { return get("k/" + c[1] + ".json"); }));
        }).then(function (clusters) {
          var near = [];
          clusters.forEach(function (cluster) {
            if (!cluster) return;
            cluster[0].forEach(function (doc, i) { near.push([doc, cosine(int8(cluster[1][i]), vector)]); });
          });
          near.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
          var best = 0, score = new Map();
          ranked.score.forEach(function (value) { if (value > best) best = value; });
          ranked.score.forEach(function (value, doc) { score.set(doc, best > 0 ? value / best : 0); });
          near.slice(0, m.dense).forEach(function (n) {
            var gain = m.weight * Math.max(0, n[1] - m.threshold) / (1 - m.threshold);
            if (score.has(n[0]) || gain > 0) score.set(n[0], (score.get(n[0]) || 0) + gain);
          });
          var order = Array.from(score.keys()).sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
          return { words: ranked.words, forms: ranked.forms, stems: ranked.stems, order: order, score: score,
                   answers: ranked.answers };
        });
      });
    }

    /** Every matching document, best first: {words, forms, stems, order: [doc], score: Map, answers: Map};
     *  by `fuse` when no document has every word and the index has meaning. */
    function rank(query, info) {
      return rankWords(query, info).then(function (ranked) {
        return info.meaning && ranked.words.length && !ranked.everyWord ? fuse(ranked, info) : ranked;
      });
    }

    function rankWords(query, info) {
      var words = wordsOf(query, new Set(info.stop || []));
      return Promise.all(words.map(function (w) { return match(w, info); })).then(function (matches) {
        var stems = Array.from(new Set([].concat.apply([], matches.map(function (m) { return m.stems; }))));
        var forms = new Set([].concat.apply(words, matches.map(function (m) { return m.forms; })));
        var big = new Set(info.big || []);
        return Promise.all(stems.map(function (s) { return get(postingsPath(s, info, big)); })).then(function (shards) {
          var score = new Map(), answers = new Map(), covered = new Map();
          var wordsOfStem = new Map();  // stem → bits of the query words it stands for
          matches.forEach(function (m, w) {
            m.stems.forEach(function (s) { wordsOfStem.set(s, (wordsOfStem.get(s) || 0) | (1 << w)); });
          });
          stems.forEach(function (stem, i) {
            if (!own(shards[i], stem)) return;
            var deltas = shards[i][stem][0], weights = shards[i][stem][1], where = shards[i][stem][2] || [];
            var bits = wordsOfStem.get(stem) || 0;
            for (var k = 0, doc = 0; k < deltas.length; k++) {
              doc += deltas[k];
              score.set(doc, (score.get(doc) || 0) + weights[k]);
              covered.set(doc, (covered.get(doc) || 0) | bits);
              if (!answers.has(doc)) answers.set(doc, []);
              answers.get(doc).push(where[k] || 0);
            }
          });
          var all = words.length < 31 ? (1 << words.length) - 1 : -1, everyWord = false;
          covered.forEach(function (bits) { if (bits === all) everyWord = true; });
          var order = Array.from(score.keys()).sort(function (a, b) { return score.get(b) - score.get(a) || a - b; });
          return { words: words, forms: forms, stems: stems, order: order, score: score, answers: answers,
                   everyWord: everyWord || all === -1 };
        });
      });
    }

    /** The answer (1-based) holding the words: every matched word of the document is only in answers,
     *  and one answer holds more than half of them (as `wol search` links a hit); else 0. */
    function answerOf(found) {
      if (!found.length || found.indexOf(0) >= 0) return 0;
      var counts = new Map(), best = 0;
      found.forEach(function (k) { counts.set(k, (counts.get(k) || 0) + 1); });
      counts.forEach(function (n, k) { if (!best || n > counts.get(best) || (n === counts.get(best) && k < best)) best = k; });
      return counts.get(best) * 2 > found.length ? best : 0;
    }

    /** The best `limit` documents that `keep(record)` accepts: {hits: [{record, score, url}], words, forms, stems}.
     *  Records are fetched in the order of the ranking, a few shards at a time, until enough pass. */
    function search(query, keep, limit) {
      return meta().then(function (info) {
        if (!info) return null;
        return rank(query, info).then(function (ranked) {
          var per = info.docs_per_shard, hits = [], at = 0, scanned = 0;
          function more() {
            if (hits.length >= limit || at >= ranked.order.length || scanned >= 500) return hits;
            var batch = ranked.order.slice(at, at + (keep ? Math.max(20, limit) : limit - hits.length));
            at += batch.length;
            scanned += batch.length;
            return Promise.all(batch.map(function (doc) { return get("d/" + Math.floor(doc / per) + ".json"); }))
              .then(function (shards) {
                batch.forEach(function (doc, i) {
                  var record = shards[i] && shards[i][doc % per];
                  if (!record || hits.length >= limit || (keep && !keep(record))) return;
                  var k = answerOf(ranked.answers.get(doc) || []);
                  var answer = k && record.answers && record.answers[k - 1];
                  hits.push({ record: record, score: ranked.score.get(doc), url: answer ? answer.url : record.url });
                });
                return more();
              });
          }
          return Promise.resolve(more()).then(function (found) {
            return { hits: found, words: ranked.words, forms: ranked.forms, stems: ranked.stems };
          });
        });
      });
    }

    return { meta: meta, search: search };
  }

  window.WolIndex = { open: open, crc32: crc32, distance: distance, wordsOf: wordsOf };
})();

// PROTOTYPE, not product code: the browser half of wol's sharded index (wolindex.py).
// It adds up weights computed in Python; it holds no ranking of its own.
const WolBox = (() => {
  const cache = new Map();
  let base = "idx/";
  const get = (path) => {
    if (!cache.has(path)) cache.set(path, fetch(base + path).then((r) => (r.ok ? r.json() : null)));
    return cache.get(path);
  };
  const TABLE = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (text) => {
    let c = 0xffffffff;
    for (const b of new TextEncoder().encode(text)) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  // Optimal string alignment distance, stopping as soon as it exceeds `max`:
  // insert, delete, substitute and swap of two adjacent letters are one edit each.
  const edits = (a, b, max) => {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev2 = null, prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  };
  const WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;
  async function stemsOf(word, meta) {
    const vocab = await get(`v/${crc32(word) % meta.vocab}.json`);
    if (vocab && Object.prototype.hasOwnProperty.call(vocab, word)) return [vocab[word]];
    const max = word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
    if (!max) return [];
    const lens = [];
    for (let l = word.length - max; l <= word.length + max; l++) if (l >= 2) lens.push(l);
    const lists = await Promise.all(lens.map((l) => get(`f/${l}.json`)));
    let found = [], least = max + 1;
    for (const list of lists) {
      if (!list) continue;
      const consider = (form, stem) => {
        const d = edits(word, form, Math.min(max, least));
        if (d < least) { least = d; found = [stem]; } else if (d === least && d <= max) found.push(stem);
      };
      for (const form of list.same) consider(form, form);
      for (const form in list.stem) consider(form, list.stem[form]);
    }
    return [...new Set(found)];
  }
  async function search(query, limit = 10) {
    const meta = await get("meta.json");
    const stop = new Set(meta.stop), big = new Set(meta.big);
    const words = [...new Set((query.toLowerCase().match(WORD) || []).filter((w) => w.length >= 2 && !stop.has(w)))];
    const stems = [...new Set((await Promise.all(words.map((w) => stemsOf(w, meta)))).flat())];
    const shards = await Promise.all(stems.map((s) => get(big.has(s) ? `p/big/${s}.json` : `p/${crc32(s) % meta.postings}.json`)));
    const scores = new Map();
    stems.forEach((s, i) => {
      const p = shards[i] && shards[i][s];
      if (!p) return;
      const [deltas, weights] = p;
      let doc = 0;
      for (let k = 0; k < deltas.length; k++) {
        doc += deltas[k];
        scores.set(doc, (scores.get(doc) || 0) + weights[k]);
      }
    });
    const top = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
    const per = meta.docs_per_shard;
    const docShards = await Promise.all(top.map(([d]) => get(`d/${Math.floor(d / per)}.json`)));
    return top.map(([d, score], i) => {
      const [id, kind, title, url, state, lead] = docShards[i][d % per];
      return { id, kind, title, url, state, lead, score, words };
    });
  }
  return { search, setBase: (b) => { base = b; }, edits };
})();

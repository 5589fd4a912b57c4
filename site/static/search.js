/* Client-side search for the CTDL Registry (docs/search.md).
 *
 * The index is sharded (registry/search_index.py): data-index on #search-form names a small
 * manifest (count, type labels, the term shards there are); a query downloads only the term
 * shards of its words (terms grouped by their first two characters, or more), then only the chunks of
 * documents it shows (50 at a time), and the type of every document only when the type filter
 * is used. Every file is kept once fetched.
 *
 * Each query word must be a prefix of a word of the resource (name, keywords, type, owner or
 * description); matches are ranked by where they occur (name > keywords > type/owner >
 * description), exact words above prefixes, with a bonus when the whole query is in the name.
 *
 * No inline script, no dependencies, no innerHTML: results are built with DOM methods and
 * textContent, so data from providers can never become markup.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.Map || !window.URL || !window.TextEncoder) {
    return;
  }
  var input = document.getElementById("search-q");
  var typeSelect = document.getElementById("search-type");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var indexUrl = form.getAttribute("data-index");
  var resourceBase = form.getAttribute("data-resources") || "/resources/";
  var pageSize = parseInt(form.getAttribute("data-page-size"), 10) || 50;

  var NONWORD = /[^\p{L}\p{N}]+/u;
  var MARKS = /\p{M}+/gu;

  // registry/search_index.py folds and cuts words exactly so (tests/test_search.py checks).
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(MARKS, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(NONWORD).filter(Boolean);
  }

  // --- the index: a manifest, then shards on demand ----------------------------

  var manifest = null;
  var base = "";
  var loading = null;
  var files = new Map(); // path under base -> Promise of its JSON

  // cache: "default" for shards (their address holds the version); the manifest is always
  // revalidated ("no-cache"), or fetched anew ("reload") when a shard it named is gone.
  function getJSON(url, cache) {
    return fetch(url, { credentials: "same-origin", cache: cache || "default" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  // The manifest; reload: fetch it again (after a shard was missing: the index was replaced).
  function loadManifest(reload) {
    if (!loading || reload) {
      if (!manifest) {
        setStatus("Loading the search index…");
      }
      loading = getJSON(indexUrl, reload ? "reload" : "no-cache")
        .then(function (data) {
          if (!data || data.version !== 2) {
            throw new Error("unknown index format");
          }
          if (!manifest || manifest.base !== data.base) {
            files = new Map();
          }
          manifest = data;
          base = new URL(data.base, new URL(indexUrl, window.location.href)).href;
          if (status.textContent === "Loading the search index…" && !input.value.trim()) {
            setStatus("Type a word to search.");
          }
          return data;
        })
        .catch(function (error) {
          loading = null;
          setStatus("The search index could not be loaded (" + error.message + "). Try again later.");
          throw error;
        });
    }
    return loading;
  }

  function file(path) {
    var got = files.get(path);
    if (!got) {
      got = getJSON(base + path);
      files.set(path, got);
      got.catch(function () {
        if (files.get(path) === got) {
          files.delete(path);
        }
      });
    }
    return got;
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  // The shard keys that can hold words starting with q: a word is in the shard of the longest key
  // that starts it (keys are its first two characters, more where a shard would be too large), so
  // every key starting with q, and the longest key that q starts with.
  function keysFor(q) {
    var found = [];
    var longest = "";
    Object.keys(manifest.terms).forEach(function (key) {
      if (key.lastIndexOf(q, 0) === 0) {
        found.push(key);
      } else if (q.lastIndexOf(key, 0) === 0 && key.length > longest.length) {
        longest = key;
      }
    });
    if (longest) {
      found.push(longest);
    }
    return found.sort();
  }

  function shardPath(key) {
    return "terms/" + hex(key) + ".json";
  }

  function typeCodes() {
    return file("types.json");
  }

  function typeOf(codes, doc) {
    var width = manifest.typeWidth;
    var alphabet = manifest.typeAlphabet;
    var n = 0;
    for (var i = doc * width; i < (doc + 1) * width; i++) {
      n = n * alphabet.length + alphabet.indexOf(codes.charAt(i));
    }
    return n;
  }

  // --- searching -------------------------------------------------------------

  // Per query word: the best score of each document (an exact word scores fully, a prefix less,
  // the shorter the prefix), and the name positions of its matches (2 * position + 1 if exact).
  function matchWord(q, shards) {
    var weights = manifest.weights;
    var nameCode = weights.length - 1;
    var hits = new Map();
    var where = new Map();
    shards.forEach(function (entries) {
      entries.forEach(function (entry) {
        var term = entry[0];
        if (term.lastIndexOf(q, 0) !== 0) {
          return;
        }
        var exact = term === q;
        var factor = exact ? 1 : 0.5 + (0.4 * q.length) / term.length;
        var post = entry[1];
        var doc = -1;
        for (var i = 0; i < post.length; i += 2) {
          doc += post[i];
          var code = post[i + 1];
          var score = weights[code < nameCode ? code : nameCode] * factor;
          if ((hits.get(doc) || 0) < score) {
            hits.set(doc, score);
          }
          if (code >= nameCode) {
            var at = where.get(doc);
            if (!at) {
              at = [];
              where.set(doc, at);
            }
            at.push(2 * (code - nameCode) + (exact ? 1 : 0));
          }
        }
      });
    });
    return { hits: hits, where: where };
  }

  // +12 when the name starts with the whole query, +8 when it has it elsewhere (at word starts:
  // the first query word a whole word, unless it is the only one, the middle ones whole words,
  // the last one the start of a word).
  function phraseBonus(doc, matched) {
    var first = matched[0].where.get(doc);
    if (!first) {
      return 0;
    }
    var k = matched.length;
    var best = 0;
    for (var i = 0; i < first.length && best < 12; i++) {
      var start = first[i] >> 1;
      if (k > 1 && !(first[i] & 1)) {
        continue;
      }
      var ok = true;
      for (var j = 1; j < k && ok; j++) {
        var at = matched[j].where.get(doc) || [];
        var want = 2 * (start + j);
        ok = at.indexOf(want + 1) >= 0 || (j === k - 1 && at.indexOf(want) >= 0);
      }
      if (ok) {
        best = Math.max(best, start === 0 ? 12 : 8);
      }
    }
    return best;
  }

  // The ranked doc numbers of a query (a promise): loads the shards of its words, and the type
  // codes when a type is chosen.
  function search(query, type) {
    var qs = Array.from(new Set(words(query)));
    if (!qs.length) {
      return Promise.resolve(null);
    }
    var wanted = qs.map(function (q) {
      return Promise.all(keysFor(q).map(function (key) {
        return file(shardPath(key));
      }));
    });
    if (type) {
      wanted.push(typeCodes());
    }
    return Promise.all(wanted).then(function (loaded) {
      var matched = [];
      var scores = null;
      for (var j = 0; j < qs.length; j++) {
        var m = matchWord(qs[j], loaded[j]);
        matched.push(m);
        if (scores === null) {
          scores = m.hits;
        } else {
          var both = new Map();
          scores.forEach(function (score, doc) {
            if (m.hits.has(doc)) {
              both.set(doc, score + m.hits.get(doc));
            }
          });
          scores = both;
        }
        if (scores.size === 0) {
          break;
        }
      }
      var typeNumber = type ? manifest.types.indexOf(type) : -1;
      var codes = type ? loaded[qs.length] : null;
      var results = [];
      scores.forEach(function (score, doc) {
        if (type && typeOf(codes, doc) !== typeNumber) {
          return;
        }
        results.push({ doc: doc, score: score + phraseBonus(doc, matched) });
      });
      // Ties by name: doc numbers are positions in name order.
      results.sort(function (a, b) {
        return b.score - a.score || a.doc - b.doc;
      });
      return { words: qs, results: results };
    });
  }

  // The shown fields of docs (a promise of [ctid, name, type number, owner, description] each).
  function docs(numbers) {
    var chunk = manifest.chunk;
    var needed = Array.from(new Set(numbers.map(function (n) {
      return Math.floor(n / chunk);
    })));
    return Promise.all(needed.map(function (c) {
      return file("docs/" + c + ".json");
    })).then(function (chunks) {
      var byChunk = new Map();
      needed.forEach(function (c, i) {
        byChunk.set(c, chunks[i]);
      });
      return numbers.map(function (n) {
        return byChunk.get(Math.floor(n / chunk))[n % chunk];
      });
    });
  }

  // --- showing results -------------------------------------------------------

  var current = null;
  var shown = 0;
  var runs = 0; // which run() is current: an older one's answers are dropped

  function setStatus(text) {
    status.textContent = text;
  }

  function highlighted(name, qs) {
    var fragment = document.createDocumentFragment();
    name.split(/([\p{L}\p{N}]+)/u).forEach(function (part, i) {
      if (!part) {
        return;
      }
      var folded = fold(part);
      var hit = i % 2 === 1 && qs.some(function (q) {
        return folded.lastIndexOf(q, 0) === 0;
      });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function item(doc, qs) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.className = "summary-name";
    link.href = resourceBase + encodeURIComponent(doc[0]);
    link.appendChild(highlighted(doc[1], qs));
    li.appendChild(link);
    var meta = [manifest.types[doc[2]], doc[3]].filter(Boolean).join(" · ");
    if (meta) {
      var span = document.createElement("span");
      span.className = "summary-meta";
      span.textContent = meta;
      li.appendChild(span);
    }
    if (doc[4]) {
      var text = document.createElement("span");
      text.className = "summary";
      text.textContent = doc[4];
      li.appendChild(text);
    }
    return li;
  }

  // The next page of results: fetches the doc chunks it needs, then adds the items (unless
  // another run started meanwhile); replace: in place of the list shown (the previous query's,
  // kept until now so that it does not flicker while the shards load).
  function showMore(run, found, replace) {
    var start = replace ? 0 : shown;
    var end = Math.min(found.results.length, start + pageSize);
    var numbers = found.results.slice(start, end).map(function (r) {
      return r.doc;
    });
    return docs(numbers).then(function (rows) {
      if (run !== runs || (!replace && found !== current)) {
        return false;
      }
      if (replace) {
        list.textContent = "";
        current = found;
      }
      var fragment = document.createDocumentFragment();
      rows.forEach(function (doc) {
        fragment.appendChild(item(doc, found.words));
      });
      list.appendChild(fragment);
      shown = end;
      more.hidden = shown >= found.results.length;
      return true;
    });
  }

  function describe(found, query, type) {
    var n = found.results.length;
    var what = "“" + query.trim() + "”" + (type ? " among " + type + " resources" : "");
    if (n === 0) {
      return "No resources match " + what + ".";
    }
    var text = n + (n === 1 ? " resource matches " : " resources match ") + what;
    return text + (n > shown ? "; showing the first " + shown + "." : ".");
  }

  function selectedType() {
    return typeSelect ? typeSelect.value : "";
  }

  function run(updateUrl) {
    var query = input.value;
    var type = selectedType();
    var me = ++runs;
    if (updateUrl && window.history && window.history.replaceState) {
      var params = new URLSearchParams();
      if (query.trim()) {
        params.set("q", query.trim());
      }
      if (type) {
        params.set("type", type);
      }
      var qs = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
    }
    if (!query.trim()) {
      list.textContent = "";
      more.hidden = true;
      setStatus("Type a word to search.");
      return;
    }

    function attempt() {
      return loadManifest().then(function () {
        return search(query, type);
      }).then(function (found) {
        if (me !== runs || query !== input.value || type !== selectedType()) {
          return; // the user typed on while the shards loaded
        }
        return showMore(me, found || { words: [], results: [] }, true).then(function (showing) {
          if (!showing) {
            return;
          }
          setStatus(found ? describe(found, query, type) : "Type a word to search.");
          form.setAttribute("data-ready", "true");
        });
      });
    }

    attempt().catch(function () {
      // A shard is gone: the index was rebuilt since the manifest was read. Read it again, once.
      return loadManifest(true).then(attempt);
    }).catch(function (error) {
      if (me === runs) {
        setStatus("The search index could not be loaded (" + error.message + "). Try again later.");
      }
    });
  }

  var timer = null;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      run(true);
    }, 150);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault(); // answered here: no round-trip to the server
    window.clearTimeout(timer);
    run(true);
  });
  input.addEventListener("input", later);
  input.addEventListener("focus", function () {
    loadManifest().catch(function () {});
  }, { once: true });
  if (typeSelect) {
    typeSelect.addEventListener("change", function () {
      run(true);
    });
  }
  var fetchingMore = false;
  more.addEventListener("click", function () {
    if (fetchingMore || !current) {
      return;
    }
    fetchingMore = true;
    var first = shown;
    var me = runs;
    showMore(me, current, false).then(function (showing) {
      if (!showing) {
        return;
      }
      setStatus(describe(current, input.value, selectedType()));
      var next = list.children[first];
      if (next) {
        next.querySelector("a").focus();
      }
    }, function (error) {
      setStatus("More results could not be loaded (" + error.message + "). Try again.");
    }).then(function () {
      fetchingMore = false;
    });
  });

  // For tests (tests/test_search.py): the folding and the choice of shards, nothing that changes state.
  window.registrySearch = Object.freeze({
    fold: fold,
    words: words,
    keysFor: function (q) {
      return loadManifest().then(function () {
        return keysFor(q);
      });
    }
  });

  // A linked search (/search?q=nurse&type=Certificate) runs on arrival.
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
  }
  if (typeSelect && params.get("type")) {
    typeSelect.value = params.get("type");
  }
  if (input.value.trim()) {
    run(false);
  } else {
    form.setAttribute("data-ready", "true");
  }
})();

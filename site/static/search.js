/* Client-side search for the CTDL Registry (docs/search.md).
 *
 * Loads the JSON index named by data-index on #search-form (generated from the
 * registry's journal: ctid, name, type label, owner name, description snippet,
 * keywords), builds a sorted term list with postings in memory, and answers
 * every query in the browser: each query word must be a prefix of a word of the
 * resource (name, keywords, type, owner or description); matches are ranked by
 * where they occur (name > keywords > type/owner > description), exact words
 * above prefixes, with a bonus when the whole query is in the name.
 *
 * No inline script, no dependencies, no innerHTML: results are built with DOM
 * methods and textContent, so data from providers can never become markup.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.Map) {
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

  // Field weights: where a word is found counts more than how often.
  var FIELDS = [["name", 10], ["keywords", 6], ["type", 3], ["owner", 3], ["description", 2]];
  var NONWORD = /[^\p{L}\p{N}]+/u;
  var MARKS = /\p{M}+/gu;

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(MARKS, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(NONWORD).filter(Boolean);
  }

  // --- the index -------------------------------------------------------------

  var index = null; // {docs, postings: Map(term -> Map(doc -> weight)), terms: sorted array}
  var loading = null;

  function buildIndex(data) {
    var docs = (data && data.resources) || [];
    var postings = new Map();
    docs.forEach(function (doc, i) {
      FIELDS.forEach(function (field) {
        var value = doc[field[0]];
        if (Array.isArray(value)) {
          value = value.join(" ");
        }
        words(value).forEach(function (term) {
          var post = postings.get(term);
          if (!post) {
            post = new Map();
            postings.set(term, post);
          }
          if ((post.get(i) || 0) < field[1]) {
            post.set(i, field[1]);
          }
        });
      });
      doc.folded = fold(doc.name).split(NONWORD).filter(Boolean).join(" ");
    });
    var terms = Array.from(postings.keys()).sort();
    return { docs: docs, postings: postings, terms: terms };
  }

  function loadIndex() {
    if (!loading) {
      setStatus("Loading the search index…");
      loading = fetch(indexUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          index = buildIndex(data);
          return index;
        })
        .catch(function (error) {
          loading = null;
          setStatus("The search index could not be loaded (" + error.message + "). Try again later.");
          throw error;
        });
    }
    return loading;
  }

  function lowerBound(terms, prefix) {
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (terms[mid] < prefix) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // --- searching -------------------------------------------------------------

  function search(query, type) {
    var qs = Array.from(new Set(words(query)));
    if (!qs.length) {
      return null;
    }
    var scores = null;
    qs.forEach(function (q) {
      if (scores !== null && scores.size === 0) {
        return;
      }
      var hits = new Map();
      for (var k = lowerBound(index.terms, q); k < index.terms.length; k++) {
        var term = index.terms[k];
        if (term.lastIndexOf(q, 0) !== 0) {
          break;
        }
        // An exact word scores fully; a prefix less, the shorter the prefix.
        var factor = term === q ? 1 : 0.5 + (0.4 * q.length) / term.length;
        index.postings.get(term).forEach(function (weight, doc) {
          var score = weight * factor;
          if ((hits.get(doc) || 0) < score) {
            hits.set(doc, score);
          }
        });
      }
      if (scores === null) {
        scores = hits;
      } else {
        var both = new Map();
        scores.forEach(function (score, doc) {
          if (hits.has(doc)) {
            both.set(doc, score + hits.get(doc));
          }
        });
        scores = both;
      }
    });
    var phrase = qs.join(" ");
    var results = [];
    scores.forEach(function (score, i) {
      var doc = index.docs[i];
      if (type && doc.type !== type) {
        return;
      }
      var at = doc.folded.indexOf(phrase);
      if (at === 0) {
        score += 12;
      } else if (at > 0) {
        score += 8;
      }
      results.push({ doc: doc, score: score });
    });
    results.sort(function (a, b) {
      return b.score - a.score || (a.doc.name < b.doc.name ? -1 : a.doc.name > b.doc.name ? 1 : 0);
    });
    return { words: qs, results: results };
  }

  // --- showing results -------------------------------------------------------

  var current = null;
  var shown = 0;

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
    link.href = resourceBase + encodeURIComponent(doc.ctid);
    link.appendChild(highlighted(doc.name, qs));
    li.appendChild(link);
    var meta = [doc.type, doc.owner].filter(Boolean).join(" · ");
    if (meta) {
      var span = document.createElement("span");
      span.className = "summary-meta";
      span.textContent = meta;
      li.appendChild(span);
    }
    if (doc.description) {
      var text = document.createElement("span");
      text.className = "summary";
      text.textContent = doc.description;
      li.appendChild(text);
    }
    return li;
  }

  function showMore() {
    var end = Math.min(current.results.length, shown + pageSize);
    var fragment = document.createDocumentFragment();
    for (var i = shown; i < end; i++) {
      fragment.appendChild(item(current.results[i].doc, current.words));
    }
    list.appendChild(fragment);
    shown = end;
    more.hidden = shown >= current.results.length;
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

  function run(updateUrl) {
    var query = input.value;
    var type = typeSelect ? typeSelect.value : "";
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
    loadIndex().then(function () {
      if (query !== input.value || type !== (typeSelect ? typeSelect.value : "")) {
        return; // the user typed on while the index loaded
      }
      var found = search(query, type);
      list.textContent = "";
      shown = 0;
      current = found || { words: [], results: [] };
      showMore();
      setStatus(found ? describe(found, query, type) : "Type a word to search.");
      form.setAttribute("data-ready", "true");
    }, function () {});
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
    loadIndex().catch(function () {});
  }, { once: true });
  if (typeSelect) {
    typeSelect.addEventListener("change", function () {
      run(true);
    });
  }
  more.addEventListener("click", function () {
    var first = shown;
    showMore();
    setStatus(describe(current, input.value, typeSelect ? typeSelect.value : ""));
    var next = list.children[first];
    if (next) {
      next.querySelector("a").focus();
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

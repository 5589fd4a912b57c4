/* The /sparql page: YASGUI (site/static/yasgui/) on this registry's endpoint.
 *
 * Settings come from <script type="application/json" id="sparql-editor-config"> (see
 * PageRenderer.sparql_page): endpoint, default query, examples, prefixes, CTDL terms.
 *
 * - Queries go to this registry's /sparql only, by POST. Tabs are kept in localStorage under a
 *   key for this endpoint; a kept tab that points at another endpoint is dropped on load, and
 *   new tabs never copy another endpoint.
 * - Nothing is fetched from elsewhere: prefix completion uses the registry's prefixes instead
 *   of prefix.cc's list, class and property completion use the CTDL vocabulary instead of
 *   Linked Open Vocabularies (lov.linkeddata.es).
 * - Tab and Shift+Tab leave the editor (no keyboard trap); Ctrl+Enter runs the query.
 * - If anything is missing (no JavaScript, YASGUI not loaded) the plain HTML form stays.
 */
(function () {
  "use strict";

  var configEl = document.getElementById("sparql-editor-config");
  var section = document.getElementById("sparql-editor");
  var mount = document.getElementById("yasgui");
  if (!configEl || !section || !mount || typeof window.Yasgui !== "function") return;

  var cfg;
  try {
    cfg = JSON.parse(configEl.textContent || "{}");
  } catch (err) {
    return;
  }
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;
  var endpoint = new URL(cfg.endpoint || "sparql", document.baseURI).href;
  var examples = Array.isArray(cfg.examples) ? cfg.examples : [];
  var status = document.getElementById("sparql-editor-status");

  function say(text) {
    if (status) status.textContent = text;
  }

  // ---- autocompletion from local lists ---------------------------------------------------

  var prefixes = cfg.prefixes || {};
  var prefixLines = Object.keys(prefixes).sort().map(function (p) {
    return p + ": <" + prefixes[p] + ">";
  });

  function expand(groups) {
    var out = [];
    Object.keys(groups || {}).forEach(function (ns) {
      groups[ns].forEach(function (local) {
        out.push(ns + local);
      });
    });
    return out.sort();
  }
  var classes = expand(cfg.terms && cfg.terms.classes);
  var properties = expand(cfg.terms && cfg.terms.properties);

  function localCompleter(name, list) {
    var base = Yasqe.Autocompleters[name];
    if (!base) return;
    Yasqe.registerAutocompleter(Object.assign({}, base, {
      name: name,
      bulk: true, // matched against the list in memory (YASGUI's trie), never a request
      get: function () {
        return Promise.resolve(list.slice());
      },
    }));
  }
  localCompleter("prefixes", prefixLines);
  localCompleter("property", properties);
  localCompleter("class", classes);
  Yasqe.defaults.prefixCcApi = null;

  // ---- the editor ------------------------------------------------------------------------

  // New tabs show results in the table's "simple view": values without datatypes and
  // language tags, no row numbers (each tab's own choice is kept once changed).
  var tabDefaults = Yasgui.Tab.getDefaults;
  Yasgui.Tab.getDefaults = function (instance) {
    var defaults = tabDefaults.apply(this, arguments);
    var settings = defaults.yasr && defaults.yasr.settings;
    if (settings) {
      settings.pluginsConfig = Object.assign({ table: { compact: true } }, settings.pluginsConfig);
    }
    return defaults;
  };

  var yasgui;
  section.hidden = false; // CodeMirror measures itself: it must start visible
  try {
    yasgui = new Yasgui(mount, {
      requestConfig: {
        endpoint: endpoint,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      },
      copyEndpointOnNewTab: false,
      // The tab's right-click menu goes into the page, not into the tablist (tabs only there).
      contextMenuContainer: document.body,
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: endpoint }];
        },
      },
      persistenceId: "ctdl-registry:" + endpoint,
      // A shared link (#query=...) may carry another endpoint: this page queries only its own.
      populateFromUrl: function (tabConfig) {
        tabConfig.requestConfig = tabConfig.requestConfig || {};
        tabConfig.requestConfig.endpoint = endpoint;
        return tabConfig;
      },
      autofocus: false,
      tabName: "Query",
      yasqe: {
        value: cfg.query || "",
        editorHeight: "24rem",
        extraKeys: { Tab: false, "Shift-Tab": false },
        prefixCcApi: null,
      },
      yasr: {
        defaultPlugin: "table",
      },
    });
  } catch (err) {
    section.hidden = true;
    if (window.console) console.error("The query editor could not start:", err);
    return;
  }

  // Drop kept tabs that query another endpoint; keep the endpoint history to this one.
  var persistent = yasgui.persistentConfig;
  persistent.getTabs().slice().forEach(function (id) {
    var tab = persistent.getTab(id);
    var other = tab && tab.requestConfig && tab.requestConfig.endpoint;
    if (other && other !== endpoint && yasgui.getTab(id)) yasgui.getTab(id).close();
  });
  if (!persistent.getTabs().length) yasgui.addTab(true);
  if (!yasgui.getTab()) yasgui.selectTabId(persistent.getTabs()[0]);
  yasgui.emit("endpointHistoryChange", yasgui, [endpoint]);

  // ---- the tab bar: a tablist holds tabs only ------------------------------------------
  //
  // YASGUI puts its "+" (add a tab) button inside the role="tablist" element, where only
  // role="tab" children are allowed (ARIA 1.2; axe: aria-required-children). The button is
  // not a tab, so it moves out, just after the list, into a wrapper that lays both out in
  // one row. Without addTabEl YASGUI appends new tabs at the end of the list (drawTab inserts
  // before `addTabEl || null`), and Left/Right now cycle through the tabs only, as the tabs
  // pattern of the ARIA Authoring Practices has it; Tab reaches the button after the tabs.
  function moveAddTabButton() {
    var tabList = yasgui.tabElements;
    var listEl = tabList && tabList._tabsListEl;
    var addEl = tabList && tabList.addTabEl;
    if (!listEl || !addEl || addEl.parentNode !== listEl || !listEl.parentNode) return;
    var bar = document.createElement("div");
    bar.className = "tabsBar";
    listEl.parentNode.insertBefore(bar, listEl);
    bar.appendChild(listEl);
    addEl.removeAttribute("role");
    addEl.className = "addTabWrapper";
    bar.appendChild(addEl);
    tabList.addTabEl = null;
  }
  moveAddTabButton();

  var plain = document.getElementById("sparql-plain");
  if (plain) plain.hidden = true;

  // ---- names for YASGUI's unlabelled controls (they are redrawn: label them as they come) --

  var labels = [
    [".yasqe .CodeMirror textarea", "SPARQL query"],
    ["input.autocomplete", "SPARQL endpoint"],
    ["select.tableSizer", "Results per page"],
  ];
  function labelControls() {
    labels.forEach(function (pair) {
      mount.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", pair[1]);
        if (pair[1] === "SPARQL query" && !el.hasAttribute("aria-describedby")) {
          el.setAttribute("aria-describedby", "sparql-editor-help");
        }
      });
    });
    // The tab settings panel: its <label>s are captions, not tied to their fields.
    mount.querySelectorAll(".requestConfigWrapper select, .requestConfigWrapper input").forEach(function (el) {
      if (el.hasAttribute("aria-label")) return;
      var group = el.closest(".requestConfigWrapper");
      var caption = group && group.querySelector(":scope > label");
      var selector = el.closest(".selector");
      var own = selector && selector.querySelector("label");
      var text = (caption ? caption.textContent : "Setting") + (own ? ": " + own.textContent : "");
      var row = el.parentElement;
      if (row && row.classList.contains("textRow")) {
        text += Array.prototype.indexOf.call(row.querySelectorAll("input"), el) === 0 ? ", name" : ", value";
      }
      el.setAttribute("aria-label", text);
    });
  }
  labelControls();
  var labelling = false;
  if (window.MutationObserver) {
    new MutationObserver(function () {
      if (labelling) return;
      labelling = true;
      window.requestAnimationFrame(function () {
        labelling = false;
        labelControls();
      });
    }).observe(mount, { childList: true, subtree: true });
  }

  // ---- the examples menu -----------------------------------------------------------------

  var picker = document.getElementById("sparql-examples");
  var select = document.getElementById("sparql-example");
  var runButton = document.getElementById("sparql-example-run");
  var exampleTexts = examples.map(function (ex) {
    return ex.query.trim();
  });

  function openExample(run) {
    var ex = examples[Number(select.value)];
    if (!ex) return;
    var tab = yasgui.getTab();
    var current = "";
    try {
      current = tab ? tab.getQuery().trim() : "";
    } catch (err) {
      tab = null;
    }
    // Never overwrite the user's own query: an example replaces only an example (or nothing).
    var reuse = tab && (current === "" || current === (cfg.query || "").trim() || exampleTexts.indexOf(current) >= 0);
    if (!reuse) tab = yasgui.addTab(true);
    if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    tab.setQuery(ex.query);
    tab.setName(ex.title.length > 40 ? ex.title.slice(0, 39) + "…" : ex.title);
    if (run) {
      say("Running example: " + ex.title);
      tab.query().then(
        function () {
          say("Results for: " + ex.title);
        },
        function () {
          say("The query failed: " + ex.title);
        }
      );
    } else {
      say("Opened example in the editor: " + ex.title);
      tab.getYasqe().focus();
    }
  }

  if (picker && select) {
    picker.addEventListener("submit", function (event) {
      event.preventDefault();
      openExample(false);
    });
    if (runButton) {
      runButton.addEventListener("click", function () {
        openExample(true);
      });
    }
  }

  window.registrySparqlEditor = { yasgui: yasgui, endpoint: endpoint, openExample: openExample };
})();

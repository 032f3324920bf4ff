// noterun watch: reloads this page when noterun re-renders it, keeping the scroll position.
(() => {
  const endpoint = "/__noterun/livereload";
  // The page as the server names it: "notes/intro.html"; a folder means its index.html.
  const page = decodeURIComponent(location.pathname).replace(/^\/+/, "").replace(/(^|\/)$/, "$1index.html");
  const scrollKey = "noterun:scroll:" + page;

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore, { once: true });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, `${window.scrollX},${window.scrollY}`);
    location.reload();
  }

  // This page changed, or something that is not a page (a stylesheet, an image) that it may use.
  const concernsThisPage = (paths) => paths.some((path) => path === page || !path.endsWith(".html"));

  // After losing the server (it restarted, or noterun was stopped and started again), the
  // page may be stale: reload once the connection is back.
  function connect(afterLoss) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${endpoint}`);
    socket.onopen = () => {
      if (afterLoss) reload();
    };
    socket.onmessage = (event) => {
      if (concernsThisPage(JSON.parse(event.data).reload)) reload();
    };
    socket.onclose = () => setTimeout(() => connect(true), 1000);
  }
  connect(false);
})();

// The sandbox API: every action is a WeCom client action the simulator performs.
const API = "/sandbox/api";

async function answer(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (!response.ok) {
    throw new Error(body.error || `请求失败（HTTP ${response.status}）`);
  }
  return body;
}

async function postJSON(path, body) {
  let response;
  try {
    response = await fetch(API + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error("连不上沙盒服务，请确认 make demo 还在运行。");
  }
  return answer(response);
}

export const api = {
  setup: async () => answer(await fetch(`${API}/setup`)),
  sendText: (user, text) => postJSON("/text", { user, text }),
  sendSample: (user, sample) => postJSON("/sample", { user, sample }),
  tap: (user, taskId, key) => postJSON("/tap", { user, task_id: taskId, key }),
  submit: (user, taskId, choices) => postJSON("/submit", { user, task_id: taskId, choices }),
  async sendImage(user, file) {
    const query = new URLSearchParams({ user, filename: file.name });
    let response;
    try {
      response = await fetch(`${API}/image?${query}`, {
        method: "POST",
        headers: { "Content-Type": file.type },
        body: file,
      });
    } catch {
      throw new Error("图片上传失败：连不上沙盒服务。");
    }
    return answer(response);
  },
  async sendRecording(user, blob, seconds, type) {
    const query = new URLSearchParams({ user, seconds: seconds.toFixed(1) });
    let response;
    try {
      response = await fetch(`${API}/voice?${query}`, {
        method: "POST",
        headers: { "Content-Type": type },
        body: blob,
      });
    } catch {
      throw new Error("录音上传失败：连不上沙盒服务。");
    }
    return answer(response);
  },
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Long-polls one persona's conversation; onSnapshot gets {etag, items, counts} on each change.
export class ConversationFeed {
  constructor(onSnapshot, onConnection) {
    this.onSnapshot = onSnapshot;
    this.onConnection = onConnection;
    this.controller = null;
  }

  follow(user) {
    this.stop();
    const controller = new AbortController();
    this.controller = controller;
    this.loop(user, controller.signal);
  }

  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async loop(user, signal) {
    let etag = "";
    let wait = 0; // the first answer comes at once, then each waits for a change
    while (!signal.aborted) {
      try {
        const query = new URLSearchParams({ user, etag, wait: String(wait) });
        const response = await fetch(`${API}/conversation?${query}`, { signal });
        const snapshot = await answer(response);
        this.onConnection(true);
        wait = 25;
        if (snapshot.etag !== etag) {
          etag = snapshot.etag;
          this.onSnapshot(user, snapshot);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.onConnection(false, error);
        await sleep(2000);
      }
    }
  }
}

// Recording a voice note in the browser: MediaRecorder → WebM/Opus (Ogg or MP4 where WebM is
// not offered), held like WeCom's 按住 说话 button, at most max seconds.
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

export class MicError extends Error {}

function explain(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "浏览器没有允许使用麦克风，无法录音。";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") return "没有找到麦克风。";
  if (name === "NotReadableError") return "麦克风被其他程序占用，无法录音。";
  return `无法录音：${(error && error.message) || "未知错误"}`;
}

export class VoiceRecorder {
  constructor() {
    this.stream = null;
    this.recorder = null;
    this.chunks = [];
    this.startedAt = 0;
  }

  static supported() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia
      && window.MediaRecorder);
  }

  // Ask for the microphone once (when the user switches to voice), not mid-gesture.
  async prepare() {
    if (!VoiceRecorder.supported()) throw new MicError("这个浏览器不支持录音。");
    if (this.stream) return;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      throw new MicError(explain(error));
    }
  }

  get recording() {
    return Boolean(this.recorder && this.recorder.state === "recording");
  }

  elapsed() {
    return this.recording ? (performance.now() - this.startedAt) / 1000 : 0;
  }

  start() {
    const type = TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    this.chunks = [];
    this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : {});
    this.recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) this.chunks.push(event.data);
    });
    this.recorder.start();
    this.startedAt = performance.now();
  }

  // Resolves to {blob, seconds, type} (type without codec parameters, as the upload sends it).
  stop() {
    const recorder = this.recorder;
    const seconds = this.elapsed();
    this.recorder = null;
    if (!recorder) return Promise.resolve(null);
    return new Promise((resolve) => {
      recorder.addEventListener("stop", () => {
        const type = (recorder.mimeType || "audio/webm").split(";")[0];
        resolve({ blob: new Blob(this.chunks, { type }), seconds, type });
      }, { once: true });
      recorder.stop();
    });
  }

  cancel() {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  release() {
    this.cancel();
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }
}

// The browser suite's Chromium: the repository's one launcher, shared with every other Chromium suite
// (system browser, fresh profile, quiet flags, a clear error when it is missing, never a download).
export { chromiumPath, type LaunchedBrowser, launchChromium } from '@cors/conformance/chromium'

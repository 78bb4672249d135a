import express, { Router } from 'express';

/**
 * Record photos stored on the embedded default (DATA_DIR/media): public, immutable (the key is
 * the content's hash), never a directory listing or a dotfile.
 */
export function createMediaRoutes(dir: string) {
  const router = Router();
  router.use('/media', express.static(dir, { immutable: true, maxAge: '365d', index: false, dotfiles: 'deny', redirect: false, fallthrough: true }));
  return router;
}

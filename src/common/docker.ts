import Docker from 'dockerode';
import { Env } from './config/env.schema';

/** A dockerode client for DOCKER_HOST (unix:// or tcp://), or the local socket when unset. */
export function createDockerClient(env: Pick<Env, 'DOCKER_HOST'>): Docker {
  if (!env.DOCKER_HOST) return new Docker({ socketPath: '/var/run/docker.sock' });
  const u = new URL(env.DOCKER_HOST);
  if (u.protocol === 'unix:') return new Docker({ socketPath: u.pathname });
  return new Docker({ host: u.hostname, port: Number(u.port || 2375), protocol: u.protocol === 'https:' ? 'https' : 'http' });
}

export const DOCKER = Symbol('DOCKER');

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ChatService } from './chat.service';

const EVERY_MS = 5000;

/** General worker: turns new alerts into chat deliveries and posts the due ones, every few seconds. */
@Injectable()
export class ChatPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChatPoller.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly chat: ChatService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick().finally(() => (this.running = undefined));
    }, EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const now = new Date();
      await this.chat.fanOut(now);
      await this.chat.deliverDue(now);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'chat notifications: round failed');
    }
  }
}

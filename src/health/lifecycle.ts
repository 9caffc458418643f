import { Injectable } from '@nestjs/common';

/** Whether this instance is on its way out (SIGTERM received): /health/ready says 503 from then on. */
@Injectable()
export class Lifecycle {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  drain(): void {
    this.drainingSince ??= Date.now();
  }
}

// The exchange's user-data stream as the domain sees it: the account's fills, balance and position
// updates and margin calls as they happen (Aster "User Data Streams": a listenKey WebSocket),
// numbers converted once at the adapter's edge. The REST port (exchange.ts) stays the source the
// worker falls back to when the stream is down.
import type { ExchangeTrade, Side } from './exchange.ts';

/** Who caused a fill: an order of ours, or the exchange/someone else (Aster's documented client ids). */
export type FillOrigin = 'liquidation' | 'adl' | 'other';

export interface StreamFill extends ExchangeTrade {
  clientOrderId: string;
  /** `liquidation`: client id `autoclose-…` or order type LIQUIDATION; `adl`: `adl_autoclose` or status NEW_ADL. */
  origin: FillOrigin;
  /** Event time (the exchange's clock, ms). */
  eventMs: number;
}

export interface StreamPosition {
  symbol: string;
  /** Signed quantity (one-way mode: positionSide BOTH). */
  quantity: number;
  entryPrice: number;
  unrealizedPnlUsd: number;
  marginType: 'cross' | 'isolated';
}

export type UserStreamEvent =
  /** ORDER_TRADE_UPDATE with execution type TRADE (or CALCULATED: a liquidation). */
  | { type: 'fill'; fill: StreamFill }
  /** ORDER_TRADE_UPDATE of any other execution type (NEW, CANCELED, EXPIRED…): no booking. */
  | {
      type: 'order';
      symbol: string;
      clientOrderId: string;
      orderId: string;
      status: string;
      eventMs: number;
    }
  /** ACCOUNT_UPDATE: the margin asset's wallet (when pushed) and the positions pushed. */
  | {
      type: 'account';
      reason: string;
      walletUsd?: number;
      positions: StreamPosition[];
      eventMs: number;
    }
  /** MARGIN_CALL: positions whose risk ratio is too high. */
  | {
      type: 'margin_call';
      positions: {
        symbol: string;
        side: Side | 'BOTH';
        quantity: number;
        markPrice: number;
        maintenanceMarginUsd: number;
      }[];
      eventMs: number;
    }
  /** listenKeyExpired: no more events on this key; the adapter replaces it. */
  | { type: 'listen_key_expired'; eventMs: number }
  /**
   * ACCOUNT_CONFIG_UPDATE: a symbol's leverage (`ac`) or the account's configuration (`ai`: the
   * position mode `d`, true = hedge) changed, by whoever changed it.
   */
  | { type: 'config'; symbol?: string; leverage?: number; hedgeMode?: boolean; eventMs: number };

/** The REST half of a user-data stream: the listen key's life cycle, and where to connect. */
export interface UserStreamSource {
  /** POST listenKey: a new key, or the active one (its validity extended 60 min). */
  createListenKey(): Promise<string>;
  /** PUT listenKey: extends the key's validity by 60 minutes. */
  keepAliveListenKey(listenKey: string): Promise<void>;
  /** DELETE listenKey: closes the stream. */
  closeListenKey(listenKey: string): Promise<void>;
  /** The WebSocket URL of the key's stream (`<ws base>/ws/<listenKey>`). */
  streamUrl(listenKey: string): string;
  /** Parses one message; undefined for a message of no interest; throws on a malformed one. */
  parse(message: string): UserStreamEvent | undefined;
}

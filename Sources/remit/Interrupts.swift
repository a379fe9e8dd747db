import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which signal asked remit to stop, recorded once by ``InterruptWatch`` and read by the import.
final class InterruptFlag: @unchecked Sendable {
    // @unchecked: every access to `received` holds `lock`.
    private let lock = NSLock()
    private var received: Int32?

    /// The first signal received, or `nil`.
    var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Whether a signal has been received: the import's cancellation check.
    @Sendable func isSet() -> Bool { signal != nil }

    /// Records `signal` unless one was recorded before; `false` if this is not the first.
    func record(_ signal: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard received == nil else { return false }
        received = signal
        return true
    }
}

/// Catches SIGINT (Ctrl-C) and SIGTERM while imports run, so that the running import can roll
/// its transaction back and remit can say what is in the database before it exits.
///
/// The first signal is only recorded in ``flag``, which the import polls. The default action of
/// both signals is restored at once, so a second Ctrl-C ends remit straight away; that is safe
/// too, since SQLite never lets an uncommitted transaction reach the database.
struct InterruptWatch {
    /// The signals watched.
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Set by the first signal.
    let flag = InterruptFlag()
    private let sources: [any DispatchSourceSignal]

    /// Starts watching SIGINT and SIGTERM.
    init() {
        let flag = flag
        sources = Self.signals.map { number in
            // Dispatch delivers the signal to the handler only if the default action is off.
            _ = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                for watched in InterruptWatch.signals { _ = signal(watched, SIG_DFL) }
                // A second signal that still reaches the handler ends remit as the default action would.
                if !flag.record(number) { _exit(128 + number) }
            }
            source.resume()
            return source
        }
    }

    /// The exit status for the signal received: 130 for SIGINT, 143 for SIGTERM (128 + its number).
    var exitStatus: Int32? { flag.signal.map { 128 + $0 } }

    /// Stops watching and restores the default action of the signals.
    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { _ = signal(number, SIG_DFL) }
    }
}

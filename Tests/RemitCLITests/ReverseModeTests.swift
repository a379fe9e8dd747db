import Foundation
import Testing

// Reverse mode: `--receive` names what the recipient must get; remit finds the least to send.

/// Rounds half away from zero to `places` decimals (hand arithmetic, independent of RemitKit).
func roundedHalfAway(_ value: Decimal, places: Int) -> Decimal {
    var input = value, output = Decimal()
    NSDecimalRound(&output, &input, places, .plain)
    return output
}

func dec(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

@Suite("compare --receive (reverse mode)")
struct ReverseModeTests {
    @Test("US→MX --receive 5000: everyone delivers at least MXN 5,000 for the least amount sent")
    func receive5000() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--receive", "5000", "--format", "json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let document = try jsonObject(result)
        let options = try checkComparisonDocument(document, sendAmount: nil)
        let amount = try obj(document, "amount")
        #expect(try str(amount, "mode") == "receive")
        #expect(close(try num(amount, "value"), 5000))
        #expect(try str(amount, "currency") == "MXN")
        #expect(options.count == 12)
        #expect(Set(try options.map(ServiceKey.init)) == Set(usMexicoAt300), "the same twelve services as in send mode")

        var paid: [Double] = []
        for option in options {
            let name = try ServiceKey(option)
            let received = try num(option, "recipientAmount")
            #expect(received >= 5000, "\(name) delivers only \(received)")
            let sent = try num(option, "amount"), fee = try num(option, "fee"), rate = try num(option, "exchangeRate")
            let deducted = try str(option, "feeMode") == "deducted"
            #expect(close(try num(option, "senderPays"), deducted ? sent : sent + fee), "\(name)")
            if !deducted {
                // One cent less converts to less than MXN 5,000 (the fee on top does not change what is converted).
                let less = ((sent - 0.01) * rate * 100).rounded() / 100
                #expect(less < 5000, "\(name): sending \(sent - 0.01) would already deliver \(less)")
            }
            paid.append(try num(option, "senderPays"))
        }
        #expect(paid == paid.sorted(), "reverse mode ranks by what the sender pays: \(paid)")

        // By hand, Rapido Efectivo (band 1.00–500.00, 4.99 on top, rate 17.8390):
        // 5000 / 17.8390 = 280.2848… → 280.29: 280.29 × 17.8390 = 5000.0933 → 5000.09 ≥ 5000,
        // and 280.28 × 17.8390 = 4999.9149 → 4999.91 < 5000. The sender pays 280.29 + 4.99 = 285.28.
        let rapido = try option(options, ServiceKey("Rapido Remesas", "Rapido Efectivo", "cash"))
        #expect(close(try num(rapido, "amount"), 280.29))
        #expect(close(try num(rapido, "senderPays"), 285.28))
        #expect(close(try num(rapido, "recipientAmount"), 5000.09))
        #expect(roundedHalfAway(dec("280.28") * dec("17.8390"), places: 2) < 5000)
        #expect(roundedHalfAway(dec("280.29") * dec("17.8390"), places: 2) == dec("5000.09"))

        // Lakeshore Remesa Directa (7.00 deducted, rate 17.9855): (A − 7) × 17.9855 ≥ 5000 → A − 7 ≥ 278.0006… → A = 285.01:
        // 278.01 × 17.9855 = 5000.1489 → 5000.15; one cent less: 278.00 × 17.9855 = 4999.969 → 4999.97 < 5000.
        let lakeshore = try option(options, ServiceKey("Lakeshore Federal Credit Union", "Remesa Directa", "bank-account"))
        #expect(close(try num(lakeshore, "amount"), 285.01))
        #expect(close(try num(lakeshore, "senderPays"), 285.01))
        #expect(close(try num(lakeshore, "recipientAmount"), 5000.15))
        #expect(roundedHalfAway((dec("285.00") - 7) * dec("17.9855"), places: 2) < 5000)

        // Paperkite (3.99 on top, rate 18.3848): 271.97 × 18.3848 = 5000.1137 → 5000.11; 271.96 → 4999.93. Pays 275.96: cheapest.
        #expect(try ServiceKey(options[0]) == ServiceKey("Paperkite Money", "Welcome rate (first transfer)", "debit-card"))
        #expect(close(try num(options[0], "amount"), 271.97))
        #expect(close(try num(options[0], "senderPays"), 275.96))
    }

    @Test("US→MX --receive 5000 as a table: the heading and the summary speak of what to send")
    func receiveTable() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "US", "--to", "MX", "--receive", "5000")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(result.stdout.hasPrefix("Delivering MXN 5,000.00 from United States to Mexico"), "\(result)")
        #expect(tableRows(result.stdout).count == 12, "\(result)")
        let cheapest = try #require(result.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Cheapest:") }, "\(result)")
        #expect(cheapest.contains("Paperkite Money") && cheapest.contains("USD 275.96"), "\(cheapest)")
    }

    @Test("FR→SN --receive 100000 XOF (a currency without decimals)")
    func receiveXOF() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "FR", "--to", "SN", "--receive", "100000", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let options = try checkComparisonDocument(try jsonObject(result), sendAmount: nil)
        #expect(options.count == 9)
        for option in options {
            let received = try num(option, "recipientAmount")
            #expect(received >= 100_000 && received == received.rounded(), "\(option)")
        }
        // Meridian Online to mobile wallet (3.90 on top, rate 642.84): 100000 / 642.84 = 155.5597… → 155.56:
        // 155.56 × 642.84 = 100000.19 → 100000; 155.55 × 642.84 = 99993.76 → 99994 < 100000.
        let meridian = try option(options, ServiceKey("Meridian Money Transfer", "Online to mobile wallet", "debit-card"))
        #expect(close(try num(meridian, "amount"), 155.56))
        #expect(close(try num(meridian, "recipientAmount"), 100_000))
    }

    // Tuwaiq Direct (SA→PK): 15.00 on top from SAR 50.00 to 749.99, free from SAR 750.00; rate 75.1840 × 0.975 = 73.3044.
    // To deliver PKR 54,900: the lower band needs 54900 / 73.3044 = 748.93… → 748.94, paying 748.94 + 15.00 = 763.94.
    // The upper band's first amount, SAR 750.00, delivers 750 × 73.3044 = 54,978.30 ≥ 54,900 and costs SAR 750.00 in all.
    // The least the sender can pay is therefore SAR 750.00 (the library documents that a cheaper higher band is found).
    @Test("reverse mode finds the cheaper higher band (Tuwaiq Bank, SA→PK, PKR 54,900)")
    func cheaperHigherBand() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.remit("compare", "--from", "SA", "--to", "PK", "--receive", "54900", "--firm-type", "bank",
                                             "--format", "json")
        #expect(result.status == 0, "\(result)")
        let options = try checkComparisonDocument(try jsonObject(result), sendAmount: nil)
        let tuwaiq = try option(options, ServiceKey("Tuwaiq Bank", "Tuwaiq Direct", "bank-account"))
        #expect(roundedHalfAway(dec("750.00") * dec("73.3044"), places: 2) == dec("54978.30"))
        #expect(try num(tuwaiq, "recipientAmount") >= 54_900)
        #expect(try num(tuwaiq, "senderPays") <= 750.00,
                "sending SAR 750.00 (fee 0.00) delivers PKR 54,978.30 for SAR 750.00 in all; remit asks for \(String(describing: tuwaiq["senderPays"]))")
    }

    @Test("--amount and --receive together are a usage error (64)")
    func amountAndReceive() async throws {
        let result = try await Sandbox().remit("compare", "--from", "US", "--to", "MX", "--amount", "300", "--receive", "5000")
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.first?.hasPrefix("Error: ") == true, "\(result)")
        #expect(result.stderr.contains("--amount") && result.stderr.contains("--receive"), "\(result)")
    }
}

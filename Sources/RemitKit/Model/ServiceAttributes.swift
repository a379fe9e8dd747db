/// A closed vocabulary stored as kebab-case text in the database, the CLI and JSON.
public protocol Vocabulary: RawRepresentable, CaseIterable, Hashable, Sendable, Codable
where RawValue == String, AllCases: Sendable {
    /// The label shown to people, e.g. "Money transfer operator".
    var label: String { get }
    /// Other words accepted on input, such as `mto`, by normalised spelling.
    static var aliases: [String: Self] { get }
}

extension Vocabulary {
    public static var aliases: [String: Self] { [:] }

    /// Looks a value up by its raw value, its label or an alias, ignoring case, spaces, `-` and `_`.
    public init?(lenient text: some StringProtocol) {
        let key = Self.normalized(text)
        if let alias = Self.aliases[key] {
            self = alias
            return
        }
        guard let match = Self.allCases.first(where: {
            Self.normalized($0.rawValue) == key || Self.normalized($0.label) == key
        }) else { return nil }
        self = match
    }

    /// The accepted raw values, joined for an error message: `a, b or c`.
    public static var acceptedValues: String {
        let values = allCases.map(\.rawValue)
        guard values.count > 1, let last = values.last else { return values.joined() }
        return values.dropLast().joined(separator: ", ") + " or " + last
    }

    static func normalized(_ text: some StringProtocol) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}

/// The kind of firm that offers a service, in RPW's terms.
public enum FirmType: String, Vocabulary {
    case bank
    case moneyTransferOperator = "money-transfer-operator"
    case postOffice = "post-office"
    case mobileOperator = "mobile-operator"
    case nonBankFinancialInstitution = "non-bank-fi"
    case creditUnion = "credit-union"
    case other

    public var label: String {
        switch self {
        case .bank: "Bank"
        case .moneyTransferOperator: "Money transfer operator"
        case .postOffice: "Post office"
        case .mobileOperator: "Mobile operator"
        case .nonBankFinancialInstitution: "Non-bank financial institution"
        case .creditUnion: "Credit union"
        case .other: "Other"
        }
    }

    public static var aliases: [String: FirmType] {
        ["mto": .moneyTransferOperator, "post": .postOffice, "mobile": .mobileOperator, "mno": .mobileOperator,
         "nonbankfi": .nonBankFinancialInstitution, "nbfi": .nonBankFinancialInstitution]
    }
}

/// How the sender pays the provider.
public enum FundingMethod: String, Vocabulary {
    case cash
    case bankAccount = "bank-account"
    case debitCard = "debit-card"
    case creditCard = "credit-card"
    case mobileMoney = "mobile-money"
    case other

    public var label: String {
        switch self {
        case .cash: "Cash"
        case .bankAccount: "Bank account"
        case .debitCard: "Debit card"
        case .creditCard: "Credit card"
        case .mobileMoney: "Mobile money"
        case .other: "Other"
        }
    }

    /// Whether paying this way needs a bank account or a card.
    public var needsBankAccount: Bool {
        switch self {
        case .bankAccount, .debitCard, .creditCard: true
        case .cash, .mobileMoney, .other: false
        }
    }
}

/// How the recipient receives the money.
public enum PayoutMethod: String, Vocabulary {
    case cash
    case bankAccount = "bank-account"
    case mobileWallet = "mobile-wallet"
    case homeDelivery = "home-delivery"
    case other

    public var label: String {
        switch self {
        case .cash: "Cash pickup"
        case .bankAccount: "Bank account"
        case .mobileWallet: "Mobile wallet"
        case .homeDelivery: "Home delivery"
        case .other: "Other"
        }
    }
}

/// Where the sender starts the transfer.
public enum AccessPoint: String, Vocabulary {
    case agent
    case internet
    case bankBranch = "bank-branch"
    case postOffice = "post-office"
    case mobilePhone = "mobile-phone"
    case other

    public var label: String {
        switch self {
        case .agent: "Agent"
        case .internet: "Internet"
        case .bankBranch: "Bank branch"
        case .postOffice: "Post office branch"
        case .mobilePhone: "Mobile phone"
        case .other: "Other"
        }
    }
}

/// How long the money takes to arrive: RPW's speed buckets, fastest first.
public enum Speed: String, Vocabulary, Comparable {
    case lessThanOneHour = "less-than-one-hour"
    case sameDay = "same-day"
    case nextDay = "next-day"
    case twoDays = "2-days"
    case threeToFiveDays = "3-5-days"
    case sixDaysOrMore = "6-days-or-more"

    public var label: String {
        switch self {
        case .lessThanOneHour: "Less than one hour"
        case .sameDay: "Same day"
        case .nextDay: "Next day"
        case .twoDays: "2 days"
        case .threeToFiveDays: "3-5 days"
        case .sixDaysOrMore: "6 days or more"
        }
    }

    /// Whether the service delivers within 5 days, as SmaRT requires.
    public var isWithinFiveDays: Bool { self != .sixDaysOrMore }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Speed, rhs: Speed) -> Bool { lhs.order < rhs.order }
}

/// How wide the receiving network is.
public enum NetworkCoverage: String, Vocabulary {
    case high, medium, low

    public var label: String { rawValue.capitalized }
}

/// An identity document a provider accepts from the sender.
public enum IdentityDocument: String, Vocabulary {
    case passport
    case nationalID = "national-id"
    case consularID = "consular-id"
    case residencePermit = "residence-permit"
    case drivingLicence = "driving-licence"

    public var label: String {
        switch self {
        case .passport: "Passport"
        case .nationalID: "National ID card"
        case .consularID: "Consular ID"
        case .residencePermit: "Residence permit"
        case .drivingLicence: "Driving licence"
        }
    }
}

/// Whether a fee is charged on top of the amount sent or deducted from it.
public enum FeeMode: String, Vocabulary {
    /// The sender pays amount + fee; the whole amount is converted.
    case onTop = "on-top"
    /// The sender pays the amount; the fee is taken out before conversion.
    case deducted

    public var label: String {
        switch self {
        case .onTop: "On top"
        case .deducted: "Deducted"
        }
    }
}

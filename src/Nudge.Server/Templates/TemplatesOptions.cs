using System.ComponentModel.DataAnnotations;

namespace Nudge.Server.Templates;

/// <summary>Settings under <c>Nudge:Templates</c>: what money and dates look like when a profile does not say.</summary>
public sealed class TemplatesOptions
{
    /// <summary>Currency of <c>money</c> when neither the event nor the profile names one (ISO 4217).</summary>
    [RegularExpression("^[A-Za-z]{3}$")]
    public string DefaultCurrency { get; set; } = "EUR";

    /// <summary>Locale of money and dates when the profile has no <c>locale</c> or <c>language</c> trait.</summary>
    [Required]
    public string DefaultLocale { get; set; } = "en-US";
}

package org.peerobserver.tool.alerts;

import jakarta.mail.PasswordAuthentication;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The SMTP login of the e-mail notifications, or none when ALERT_SMTP_USERNAME is empty: camel-mail would take an
 * empty user name as a login to try (and fail). Kept out of the endpoint URI, so the password is in no URI at all.
 */
public class MailLogin extends MailAuthenticator {
    private String username = "";
    private String password = "";

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return username.isEmpty() ? new PasswordAuthentication(null, null) : new PasswordAuthentication(username, password);
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}

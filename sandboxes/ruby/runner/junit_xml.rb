# frozen_string_literal: true

# Writes a JUnit XML report: cases = [{suite:, name:, file:, status: :passed|:failed|:error|:skipped, message:, time:}]
module SandboxJUnitXml
  BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.freeze

  def self.esc(value)
    s = value.to_s.dup.force_encoding(Encoding::UTF_8)
    s = s.scrub('?') unless s.valid_encoding?
    s.gsub(BAD, '').gsub('&', '&amp;').gsub('<', '&lt;').gsub('>', '&gt;').gsub('"', '&quot;')
  end

  def self.write(path, suite_name, cases)
    out = +%(<?xml version="1.0" encoding="UTF-8"?>\n)
    count = ->(st) { cases.count { |c| c[:status] == st } }
    out << %(<testsuite name="#{esc(suite_name)}" tests="#{cases.size}" failures="#{count.(:failed)}" errors="#{count.(:error)}" skipped="#{count.(:skipped)}">\n)
    cases.each do |c|
      file = c[:file] ? %( file="#{esc(c[:file])}") : ''
      head = %(<testcase classname="#{esc(c[:suite])}" name="#{esc(c[:name])}"#{file} time="#{format('%.4f', c[:time].to_f)}")
      msg = c[:message].to_s[0, 16_384]
      first = msg.lines.first.to_s.strip[0, 200]
      out << case c[:status]
             when :passed then "#{head}/>\n"
             when :skipped then %(#{head}><skipped message="#{esc(first)}"/></testcase>\n)
             when :failed then %(#{head}><failure message="#{esc(first)}">#{esc(msg)}</failure></testcase>\n)
             else %(#{head}><error message="#{esc(first)}">#{esc(msg)}</error></testcase>\n)
             end
    end
    out << "</testsuite>\n"
    File.write(path, out)
  end
end
